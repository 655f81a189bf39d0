"""Subject access: everything held on one person, as data (for JSON) and as sections (for a page).

Every section is built here, once, and the JSON and the printable page both come from it.
DBS certificate numbers are never included. Safeguarding concerns and grievance cases
appear only as their existence and dates, flagged for the designated safeguarding lead
(or the grievance role) to review before anything is released: third parties' words and
information that could put someone at risk may be withheld.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone

from members.models import Person

REVIEW_NOTE = (
    "Review before release: the designated safeguarding lead (or, for a grievance or complaint, its "
    "manager) decides what of this record may be disclosed. Only its existence and dates are shown."
)


@dataclass
class Section:
    key: str
    title: str
    records: list[dict] = field(default_factory=list)
    note: str = ""
    review_before_release: bool = False


def _value(instance, field_name: str):
    model_field = instance._meta.get_field(field_name)
    if model_field.choices:
        return getattr(instance, f"get_{field_name}_display")()
    value = getattr(instance, field_name)
    if isinstance(model_field, models.FileField):
        return "held" if value else ""
    if isinstance(model_field, models.ForeignKey):
        return str(value) if value is not None else ""
    if hasattr(model_field, "labels"):  # ChoicesListField
        return ", ".join(str(label) for label in model_field.labels(value or []))
    return value


def _plain(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if value is None:
        return ""
    return value if isinstance(value, bool | int | str) else str(value)


def _record(instance, field_names, **extra) -> dict:
    """``{label: value}`` for the named fields (choices shown by label), plus ``extra``."""
    record = {}
    for name in field_names:
        label = str(instance._meta.get_field(name).verbose_name)
        record[label[:1].upper() + label[1:]] = _plain(_value(instance, name))
    record.update({key: _plain(value) for key, value in extra.items()})
    return record


# What a copy leaves out of each record, and why. Everything else a record holds (every
# concrete field) is in the copy, so a field added to a model later is in it too.
LEFT_OUT_OF_EVERY_RECORD = {"id"}  # our internal number
LEFT_OUT = {
    # The DBS code of practice: the certificate number is shown only to a DBS verifier, on a logged request.
    "members.DBSCheck": {"certificate_number"},
    # A link to the application, which has its own section.
    "members.Membership": {"application"},
    # Internal finance: the budget line charged and the rate table row (the amount is in the copy).
    "workplans.ExpenseClaim": {"budget_line"},
    "workplans.InvolvementPayment": {"budget_line", "rate"},
    # Internal: the request it answered (in its own section) and the counts of what was changed.
    "privacy.Erasure": {"data_request", "summary"},
}


def disclosed_fields(model) -> list[str]:
    """The fields of ``model`` a copy of someone's data shows, in the model's order.

    Left out: :data:`LEFT_OUT_OF_EVERY_RECORD`, the model's entry in :data:`LEFT_OUT`, the
    link back to the person (every record is theirs), and the staff accounts that recorded or
    decided something (third parties: the host adds names on review where it is right to).
    """
    from members.models import User

    left_out = LEFT_OUT_OF_EVERY_RECORD | LEFT_OUT.get(model._meta.label, set())
    return [
        f.name
        for f in model._meta.concrete_fields
        if f.name not in left_out and not (f.is_relation and f.related_model in (Person, User))
    ]


def _item_line(item) -> str:
    return f"{item.spent_on:%d %b %Y} {item.get_kind_display()}: {item.description} £{item.amount}"


def subject_access_sections(person: Person) -> list[Section]:
    """Everything held on ``person``, section by section."""
    from members.models import (
        Application,
        DBSCheck,
        EqualityMonitoring,
        Membership,
        PrivacyConsent,
        TrainingRecord,
    )
    from safeguarding.models import Case, Concern
    from workplans.models import (
        ActivityVolunteer,
        BenefitsAdviceRecord,
        ExpenseClaim,
        InvolvementPayment,
        MeetingAttendance,
    )

    from ..models import DataRequest, Erasure

    sections = [
        Section(
            "person",
            "Contact details and preferences",
            [
                _record(
                    person,
                    disclosed_fields(Person),
                )
            ],
        ),
        Section(
            "consents",
            "Privacy notices accepted",
            [_record(c, disclosed_fields(PrivacyConsent)) for c in person.privacy_consents.all()],
        ),
        Section(
            "equality",
            "Equality monitoring answers",
            [
                _record(
                    e,
                    disclosed_fields(EqualityMonitoring),
                )
                for e in EqualityMonitoring.objects.filter(person=person)
            ],
            note="Kept apart from contact details; used only in reports of totals.",
        ),
        Section(
            "applications",
            "Applications to volunteer",
            [
                _record(
                    a,
                    disclosed_fields(Application),
                    **{
                        "Stage history": "; ".join(
                            f"{change.changed_at:%d %b %Y}: {change.get_to_stage_display()}"
                            + (f" ({change.note})" if change.note else "")
                            for change in a.stage_changes.all()
                        )
                    },
                )
                for a in person.applications.select_related("partnership").prefetch_related("stage_changes")
            ],
        ),
        Section(
            "memberships",
            "Memberships",
            [
                _record(m, disclosed_fields(Membership))
                for m in person.memberships.select_related("partnership")
            ],
        ),
        Section(
            "training",
            "Training",
            [
                _record(t, disclosed_fields(TrainingRecord))
                for t in person.training_records.select_related("course")
            ],
        ),
        Section(
            "dbs",
            "DBS checks",
            [
                _record(
                    d,
                    disclosed_fields(DBSCheck),
                )
                for d in DBSCheck.objects.filter(person=person)
            ],
            note="The certificate number is not included here: ask the host's DBS verifier to see it.",
        ),
        Section(
            "claims",
            "Expense claims",
            [
                _record(
                    c,
                    disclosed_fields(ExpenseClaim),
                    **{
                        "Items": "; ".join(_item_line(item) for item in c.items.all()),
                    },
                )
                for c in ExpenseClaim.objects.filter(claimant=person)
                .select_related("partnership")
                .prefetch_related("items")
            ],
        ),
        Section(
            "payments",
            "Involvement payments",
            [
                _record(
                    p,
                    disclosed_fields(InvolvementPayment),
                )
                for p in InvolvementPayment.objects.filter(person=person).select_related("partnership")
            ],
        ),
        Section(
            "benefits",
            "Benefits advice",
            [
                _record(b, disclosed_fields(BenefitsAdviceRecord))
                for b in BenefitsAdviceRecord.objects.filter(person=person)
            ],
        ),
        Section(
            "activities",
            "Engagement activities taken part in",
            [
                {
                    "Activity": str(v.activity.title),
                    "Date": _plain(v.activity.held_on),
                    "Hours": _plain(v.hours),
                }
                for v in ActivityVolunteer.objects.filter(person=person).select_related("activity")
            ],
        ),
        Section(
            "meetings",
            "Meetings attended",
            [
                {
                    "Meeting": str(a.meeting.committee),
                    "Date": _plain(a.meeting.held_on),
                    "Length": a.get_length_display(),
                }
                for a in MeetingAttendance.objects.filter(person=person).select_related("meeting__committee")
            ],
        ),
        Section(
            "data_requests",
            "Requests about their data",
            [_record(r, disclosed_fields(DataRequest)) for r in DataRequest.objects.filter(person=person)],
        ),
    ]
    erasure = Erasure.objects.filter(person=person).first()
    if erasure:
        sections.append(Section("erasure", "Erasure", [_record(erasure, disclosed_fields(Erasure))]))
    concerns = Concern.objects.filter(subject_person=person)
    cases = Case.objects.filter(Q(subject_person=person) | Q(raised_by_person=person))
    safeguarding = [
        {
            "Record": f"Safeguarding {c.get_kind_display().lower()} #{c.pk}",
            "Reported": _plain(c.reported_at),
            "Closed": _plain(c.closed_at),
        }
        for c in concerns
    ] + [
        {
            "Record": f"{c.get_kind_display()} {c.reference}",
            "Received": _plain(c.received_at),
            "Closed": _plain(c.closed_at),
        }
        for c in cases
    ]
    sections.append(
        Section(
            "safeguarding",
            "Safeguarding, grievances and complaints",
            safeguarding,
            REVIEW_NOTE,
            bool(safeguarding),
        )
    )
    return sections


def subject_access_data(person: Person) -> dict:
    """The whole export as JSON-ready data."""
    return {
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "person_id": person.pk,
        "sections": [
            {
                "key": section.key,
                "title": section.title,
                "note": section.note,
                "review_before_release": section.review_before_release,
                "records": section.records,
            }
            for section in subject_access_sections(person)
        ],
    }
