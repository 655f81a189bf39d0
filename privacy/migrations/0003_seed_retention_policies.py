"""Seed a retention policy per record type with defensible defaults (host staff may change them).

The defaults are copied here, not imported from privacy.registry, so this migration
does the same thing whenever it runs.
"""

from django.db import migrations

DEFAULTS = [
    (
        "closed_applications",
        12,
        "anonymise",
        "Long enough to answer a question about the decision; the funnel keeps the counts.",
    ),
    (
        "leavers",
        24,
        "anonymise",
        "Two years lets a returning volunteer pick up again; payments and safeguarding records must stay, so the person is anonymised (a pseudonym), never deleted.",
    ),
    ("leavers_equality", 3, "delete", "Special-category data, used only for reports on current members."),
    (
        "leavers_training",
        24,
        "anonymise",
        "Certificates are needed while someone may come back; the completion dates stay.",
    ),
    (
        "leavers_dbs",
        12,
        "delete",
        "DBS code of practice: no longer than needed. Certificate numbers are erased six months after the decision by their own daily job.",
    ),
    ("compliance_reminders", 24, "delete", "Only needed to avoid sending a reminder twice."),
    (
        "expense_evidence",
        72,
        "delete",
        "HMRC: keep records for six years after the end of the tax year they relate to.",
    ),
    (
        "expense_claims",
        72,
        "anonymise",
        "HMRC: six years after the tax year; the amounts stay for the budget's history.",
    ),
    (
        "involvement_payments",
        72,
        "anonymise",
        "Earnings: HMRC wants six years after the tax year; the amounts stay for the budget.",
    ),
    (
        "safeguarding_concerns",
        300,
        "anonymise",
        "Records about children are kept until the child would be 25 (or 25 years when the age is unknown), and allegations at least 10 years; the DSL may lengthen it.",
    ),
    ("grievance_cases", 72, "anonymise", "Six years after closure: the limitation period for a claim."),
    (
        "feedback_items",
        36,
        "anonymise",
        "Three years covers a workplan cycle and its annual reports; themes keep the counts.",
    ),
    (
        "import_files",
        1,
        "delete",
        "The uploaded file holds personal data and is only needed until it is imported.",
    ),
    (
        "access_log",
        72,
        "delete",
        "Six years: long enough to answer a complaint or claim about who saw a record.",
    ),
    (
        "sign_in_links",
        1,
        "delete",
        "A used or expired link is useless; a month helps answer a sign-in problem.",
    ),
    ("data_requests", 72, "delete", "Six years: evidence of how a request was handled if the ICO asks."),
]


def seed(apps, schema_editor):
    RetentionPolicy = apps.get_model("privacy", "RetentionPolicy")
    for record_type, months, action, reason in DEFAULTS:
        RetentionPolicy.objects.get_or_create(
            record_type=record_type, defaults={"months": months, "action": action, "reason": reason}
        )


class Migration(migrations.Migration):
    dependencies = [("privacy", "0002_retention_and_erasure")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
