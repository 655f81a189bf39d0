"""Writing and reading the access log of confidential records (safeguarding, cases, DBS, equality data)."""

from __future__ import annotations

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from cms.antispam import client_ip

from .models import AccessLogEntry


def record_access(*, request, action: str, obj=None, model=None, detail: str = "") -> AccessLogEntry:
    """Log that ``request.user`` did ``action`` to ``obj`` (or to a listing of ``model``)."""
    model = model or type(obj)
    return AccessLogEntry.objects.create(
        user=request.user if request.user.is_authenticated else None,
        action=action,
        content_type=ContentType.objects.get_for_model(model),
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        detail=detail[:300],
        ip_address=client_ip(request) or None,
    )


# Which records' log entries a role may read: (permission held as a role, models).
# A record type not named here is seen by superusers only.
ACCESS_LOG_SCOPES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "safeguarding.view_concern",
        ("safeguarding.Concern", "safeguarding.ConcernEntry", "safeguarding.Escalation"),
    ),
    ("safeguarding.view_case", ("safeguarding.Case", "safeguarding.CaseDocument")),
    ("members.view_dbs_certificate_number", ("members.DBSCheck",)),
    # Who read the log itself: for those who oversee the host's whole audit trail.
    ("members.view_audit_log", ("cms.AccessLogEntry",)),
)


def entries_for(user) -> QuerySet:
    """The access log entries ``user`` may read: the one rule every log screen goes through.

    Needs ``cms.view_accesslogentry``. A superuser reads every entry. Otherwise a
    role reads entries about the records it works with (``ACCESS_LOG_SCOPES``): DSLs
    about concerns and allegations, the grievance role about cases and their
    documents, but never about a case they are the subject of (a case they may not
    see themselves).
    """
    if not (user.is_authenticated and user.is_active and user.has_perm("cms.view_accesslogentry")):
        return AccessLogEntry.objects.none()
    entries = AccessLogEntry.objects.all()
    if user.is_superuser:
        return entries
    visible = Q(pk__in=[])
    for permission, labels in ACCESS_LOG_SCOPES:
        if not user.has_perm(permission):
            continue
        for label in labels:
            visible |= _entries_about_q(user, apps.get_model(label))
    return entries.filter(visible)


def _entries_about_q(user, model) -> Q:
    about_model = Q(content_type=ContentType.objects.get_for_model(model))
    case_path = {"safeguarding.case": "pk", "safeguarding.casedocument": "case"}.get(model._meta.label_lower)
    if case_path is None:
        return about_model
    # Cases: only those the user may see, so the subject of a complaint learns nothing
    # (not even who read it) from the log. A listing or export (no object) stays visible.
    from safeguarding.permissions import cases_for

    case_ids = cases_for(user).values("pk")
    keys = (
        model._default_manager.filter(**{f"{case_path}__in": case_ids})
        .annotate(log_key=Cast("pk", output_field=CharField()))
        .values("log_key")
    )
    return about_model & (Q(object_id="") | Q(object_id__in=keys))
