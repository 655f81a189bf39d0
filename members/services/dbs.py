"""DBS actions that must leave an audit trail: saving a check, deciding it, seeing its number.

The rules (defaults, who decided, erasure) live in :mod:`members.services.training`;
these functions call them and write the Wagtail log entry in the same transaction,
so no decision and no sight of a certificate number goes unrecorded (DESIGN.md,
"Personal data": every read of DBS data is logged). Log entries carry the check's
``str()`` and never the certificate number, so the history cannot leak it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.log_actions import log

from ..enums import DBSDecision, DBSOutcome
from ..models import DBSCheck, User
from .training import decide_dbs_check, record_dbs_check

CERTIFICATE_NUMBER_PERMISSION = "members.view_dbs_certificate_number"
DECIDED_LOG_ACTION = "members.dbs_decided"
NUMBER_VIEWED_LOG_ACTION = "members.dbs_number_viewed"

# Information was disclosed and nobody has decided yet: the only checks a decision is for.
AWAITING_DECISION = Q(outcome=DBSOutcome.NEEDS_DECISION, decision="")


def awaiting_decision(check: DBSCheck) -> bool:
    return check.outcome == DBSOutcome.NEEDS_DECISION and not check.decision


@transaction.atomic
def save_dbs_check(*, check: DBSCheck, acting_user: User | None) -> DBSCheck:
    """Record a new or edited check through :func:`record_dbs_check`, and log it.

    The admin's generic create and edit views log through Wagtail's actions; ours
    replace their save, so the entry is written here instead.
    """
    created = check.pk is None
    check = record_dbs_check(check=check, acting_user=acting_user)
    log(check, "wagtail.create" if created else "wagtail.edit", user=acting_user)
    return check


@transaction.atomic
def record_dbs_decision(*, check: DBSCheck, decision: str, acting_user: User) -> DBSCheck:
    """Decide a check that disclosed information, once; the log keeps who decided what, and when.

    A decision is not taken twice: changing it would rewrite who decided and
    restart the six-month clock on the certificate details.
    """
    if not awaiting_decision(check):
        raise ValidationError("Only a check with information disclosed and no decision yet can be decided.")
    check = decide_dbs_check(check=check, decision=decision, acting_user=acting_user)
    log(
        check,
        DECIDED_LOG_ACTION,
        user=acting_user,
        data={"decision": DBSDecision(decision).value},
    )
    return check


def certificate_number_erased_note(check: DBSCheck) -> str:
    """What stands in for an erased number ("Erased on 3 March 2026, six months after the decision")."""
    erased_on = timezone.localtime(check.details_erased_at).date()
    return f"Erased on {erased_on.day} {erased_on:%B %Y}, six months after the decision"


@transaction.atomic
def reveal_certificate_number(*, check: DBSCheck, acting_user: User) -> str:
    """The check's certificate number for ``acting_user``, logged before it is returned.

    Returns "" (and logs nothing, as nothing is seen) when the number was erased or
    never recorded. Refuses anyone without the permission, whatever the caller checked.
    """
    if not acting_user.has_perm(CERTIFICATE_NUMBER_PERMISSION):
        raise PermissionDenied
    if not check.certificate_number:
        return ""
    log(check, NUMBER_VIEWED_LOG_ACTION, user=acting_user)
    return check.certificate_number
