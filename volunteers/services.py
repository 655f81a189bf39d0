"""The volunteer area's rules: who may sign in, emailed sign-in links, the signed-in session,
and the changes a volunteer makes to their own record.

A volunteer is a :class:`~members.models.Person`, not a Django user: being signed in here is
two keys in the session, apart from (and never granting) the Wagtail admin login.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone
from wagtail.log_actions import log

from cms.antispam import rate_limited
from members.models import Application, EqualityMonitoring, Membership, Person

from .models import SignInLink

LINK_LIFETIME = datetime.timedelta(minutes=15)
# Sign-in link requests allowed per hour, for one address and from one IP address.
LINKS_PER_ADDRESS_PER_HOUR = 5
LINKS_PER_IP_PER_HOUR = 20
SESSION_PERSON = "volunteer_person_id"
SESSION_SEEN = "volunteer_seen_at"


def idle_limit() -> datetime.timedelta:
    """How long a signed-in volunteer may be idle before signing in again (30 minutes by default)."""
    return datetime.timedelta(seconds=getattr(settings, "VOLUNTEER_IDLE_SECONDS", 30 * 60))


# Who may sign in ------------------------------------------------------------------------


def people_who_may_sign_in():
    """People with an application or a membership: the only people the volunteer area knows."""
    return Person.objects.filter(
        Exists(Application.objects.filter(person=OuterRef("pk")))
        | Exists(Membership.objects.filter(person=OuterRef("pk")))
    )


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# Sign-in links --------------------------------------------------------------------------


class TooManyRequests(Exception):
    """Too many sign-in links asked for, from this address or this IP address, within the hour."""


def request_sign_in_link(*, email: str, ip: str, link_for, now: datetime.datetime | None = None) -> None:
    """Email a sign-in link to ``email`` if it belongs to someone who may sign in.

    Returns nothing either way, and takes the same steps whether or not the address is
    known, so the answer never tells anyone who volunteers here. ``link_for(token)``
    builds the absolute URL. Raises :class:`TooManyRequests` past the hourly limits,
    counted per address (hashed, so the cache holds no email addresses) and per IP.

    The email goes through a task queued after commit, so a known address costs the
    request no more time (a mail server's round trip) than an unknown one.
    """
    from .tasks import send_sign_in_link

    email = (email or "").strip().lower()
    address_key = hashlib.sha256(email.encode()).hexdigest()
    over_ip = rate_limited(f"volunteer-sign-in:ip:{ip}", limit=LINKS_PER_IP_PER_HOUR, window_seconds=3600)
    over_address = rate_limited(
        f"volunteer-sign-in:address:{address_key}", limit=LINKS_PER_ADDRESS_PER_HOUR, window_seconds=3600
    )
    if over_ip or over_address:
        raise TooManyRequests
    person = people_who_may_sign_in().with_email(email).first()
    if person is None:
        return
    token = issue_sign_in_link(person, now=now)
    url = link_for(token)
    transaction.on_commit(lambda: send_sign_in_link.delay(person.pk, url))


def send_sign_in_email(person_id: int, url: str) -> bool:
    """Send the sign-in email (the task's work); False if the person has gone meanwhile."""
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        return False
    body = render_to_string(
        "volunteers/email/sign_in_link.txt",
        {"person": person, "url": url, "minutes": int(LINK_LIFETIME.total_seconds() // 60)},
    )
    send_mail("Your link to sign in", body, settings.DEFAULT_FROM_EMAIL, [person.email])
    return True


def issue_sign_in_link(person: Person, *, now: datetime.datetime | None = None) -> str:
    """Create a link for ``person`` and return its token (only its hash is stored)."""
    now = now or timezone.now()
    token = secrets.token_urlsafe(32)
    SignInLink.objects.create(
        person=person, token_hash=hash_token(token), created_at=now, expires_at=now + LINK_LIFETIME
    )
    return token


@transaction.atomic
def redeem_sign_in_link(token: str, *, now: datetime.datetime | None = None) -> Person | None:
    """The person a usable link's token belongs to, marking the link used; None for any other token.

    Expired, used, unknown and forged tokens all answer None alike. Other unused links
    of that person are spent too, so an older email cannot be used afterwards.
    """
    now = now or timezone.now()
    if not token or len(token) > 100:
        return None
    link = (
        SignInLink.objects.select_for_update()
        .usable(now)
        .filter(token_hash=hash_token(token))
        .select_related("person")
        .first()
    )
    if link is None:
        return None
    SignInLink.objects.filter(person=link.person_id, used_at__isnull=True).update(used_at=now)
    if not people_who_may_sign_in().filter(pk=link.person_id).exists():
        return None
    return link.person


def purge_spent_links(*, now: datetime.datetime | None = None) -> int:
    """Delete links that expired over a day ago (used or not); returns how many."""
    now = now or timezone.now()
    deleted, _ = SignInLink.objects.filter(expires_at__lt=now - datetime.timedelta(days=1)).delete()
    return deleted


# The signed-in session ------------------------------------------------------------------


def sign_in(request, person: Person) -> None:
    """Start a volunteer session: a new session key (against fixation), then the person's id."""
    request.session.cycle_key()
    request.session[SESSION_PERSON] = person.pk
    request.session[SESSION_SEEN] = timezone.now().timestamp()


def sign_out(request) -> None:
    """End the volunteer session only: an admin login in the same browser is left alone."""
    request.session.pop(SESSION_PERSON, None)
    request.session.pop(SESSION_SEEN, None)
    request.session.cycle_key()


def has_volunteer_session(request) -> bool:
    """Whether this browser holds a live volunteer session, read from the session alone.

    For the public navigation on every page: no query beyond loading the session, and no
    session touched for a visitor without a session cookie. The volunteer area's own
    pages still check the person through :func:`signed_in_person`.
    """
    if request is None or settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    if request.session.get(SESSION_PERSON) is None:
        return False
    seen = request.session.get(SESSION_SEEN) or 0
    return timezone.now().timestamp() - seen <= idle_limit().total_seconds()


def signed_in_person(request) -> Person | None:
    """The signed-in volunteer, or None (never signed in, idle too long, or no longer eligible).

    Each request that finds them refreshes the idle clock.
    """
    person_id = request.session.get(SESSION_PERSON)
    if person_id is None:
        return None
    seen = request.session.get(SESSION_SEEN) or 0
    now = timezone.now()
    if now.timestamp() - seen > idle_limit().total_seconds():
        sign_out(request)
        return None
    person = people_who_may_sign_in().filter(pk=person_id).first()
    if person is None:
        sign_out(request)
        return None
    request.session[SESSION_SEEN] = now.timestamp()
    return person


# Their own record -----------------------------------------------------------------------

OWN_DETAIL_FIELDS = ("first_name", "last_name", "phone", "postcode", "preferred_contact")


@dataclass(frozen=True)
class OwnDetails:
    first_name: str
    last_name: str
    phone: str
    postcode: str
    preferred_contact: str
    contact_consent: bool


def _set_contact_consent(person: Person, consent: bool, now, how: str) -> bool:
    """Change the consent, dating the change and writing it to the person's history."""
    if person.contact_consent == consent:
        return False
    person.contact_consent = consent
    person.contact_consent_changed_at = now
    log(person, "volunteers.contact_consent", data={"consent": consent, "how": how})
    return True


@transaction.atomic
def update_own_details(*, person: Person, details: OwnDetails, now=None) -> Person:
    """A volunteer corrects their own details; a change of contact consent is dated and logged."""
    now = now or timezone.now()
    person = Person.objects.select_for_update().get(pk=person.pk)
    changed = [name for name in OWN_DETAIL_FIELDS if getattr(person, name) != getattr(details, name)]
    for name in OWN_DETAIL_FIELDS:
        setattr(person, name, getattr(details, name))
    _set_contact_consent(person, details.contact_consent, now, "changed their details online")
    person.full_clean()
    person.save()
    if changed:
        log(person, "volunteers.details_changed", data={"fields": changed})
    return person


@transaction.atomic
def withdraw_consent(*, person: Person, erase_equality: bool = False, now=None) -> dict[str, bool]:
    """Stop contact for opportunities, and on request delete their equality monitoring answers.

    Returns what changed: ``{"contact_consent": ..., "equality_erased": ...}``.
    """
    now = now or timezone.now()
    person = Person.objects.select_for_update().get(pk=person.pk)
    consent_changed = _set_contact_consent(person, False, now, "withdrew consent online")
    if consent_changed:
        person.save(update_fields=["contact_consent", "contact_consent_changed_at", "updated_at"])
    erased = False
    if erase_equality:
        erased, _ = EqualityMonitoring.objects.filter(person=person).delete()
        erased = bool(erased)
        if erased:
            log(person, "volunteers.equality_erased", data={})
    return {"contact_consent": consent_changed, "equality_erased": erased}
