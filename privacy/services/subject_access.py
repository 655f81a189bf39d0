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


def _item_line(item) -> str:
    return f"{item.spent_on:%d %b %Y} {item.get_kind_display()}: {item.description} £{item.amount}"


def subject_access_sections(person: Person) -> list[Section]:
    """Everything held on ``person``, section by section."""
    from members.models import DBSCheck, EqualityMonitoring
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
                    [
                        "first_name",
                        "last_name",
                        "email",
                        "phone",
                        "postcode",
                        "preferred_contact",
                        "access_needs",
                        "language_needs",
                        "contact_consent",
                        "contact_consent_changed_at",
                        "created_at",
                        "updated_at",
                    ],
                )
            ],
        ),
        Section(
            "consents",
            "Privacy notices accepted",
            [_record(c, ["notice_version", "given_at", "source"]) for c in person.privacy_consents.all()],
        ),
        Section(
            "equality",
            "Equality monitoring answers",
            [
                _record(
                    e,
                    [
                        "ethnicity",
                        "age_band",
                        "disability",
                        "sexual_orientation",
                        "gender_identity_same_as_sex",
                        "religion",
                        "recorded_at",
                    ],
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
                    [
                        "partnership",
                        "stage",
                        "submitted_at",
                        "stage_changed_at",
                        "source",
                        "lived_experience",
                        "involvement",
                        "availability",
                        "heard_about",
                        "message",
                        "decline_reason",
                        "recruiter_notes",
                    ],
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
                _record(m, ["partnership", "role", "ppv_category", "start_date", "end_date"])
                for m in person.memberships.select_related("partnership")
            ],
        ),
        Section(
            "training",
            "Training",
            [
                _record(t, ["course", "completed_on", "expires_on", "certificate", "notes"])
                for t in person.training_records.select_related("course")
            ],
        ),
        Section(
            "dbs",
            "DBS checks",
            [
                _record(
                    d,
                    [
                        "level",
                        "issued_on",
                        "outcome",
                        "decision",
                        "decided_at",
                        "update_service",
                        "recheck_due_on",
                        "details_erased_at",
                    ],
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
                    [
                        "partnership",
                        "purpose",
                        "status",
                        "submitted_at",
                        "decided_at",
                        "rejection_reason",
                        "paid_on",
                    ],
                    **{
                        "Total (£)": c.total,
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
                    ["partnership", "activity", "activity_on", "length", "status", "paid_on"],
                    **{"Amount (£)": p.amount},
                )
                for p in InvolvementPayment.objects.filter(person=person).select_related("partnership")
            ],
        ),
        Section(
            "benefits",
            "Benefits advice",
            [
                _record(b, ["told_on", "claims_benefits", "note"])
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
            [
                _record(r, ["kind", "note", "requested_at", "due_by", "status", "handled_at", "outcome_note"])
                for r in DataRequest.objects.filter(person=person)
            ],
        ),
    ]
    erasure = Erasure.objects.filter(person=person).first()
    if erasure:
        sections.append(Section("erasure", "Erasure", [_record(erasure, ["pseudonym", "why", "erased_at"])]))
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
