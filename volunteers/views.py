"""The volunteer area's pages. Every query starts from the signed-in person (``request.volunteer``)."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cms.antispam import client_ip
from cms.forms import add_service_errors
from home.models import VolunteerSignupPage
from members.compliance import compliance_for
from members.enums import ComplianceState
from members.models import EqualityMonitoring
from privacy.services.requests import record_request
from workplans.models import ExpenseClaim
from workplans.services.claims import claimable_partnerships, submit_online_claim

from . import services
from .forms import ClaimForm, DataRequestForm, DetailsForm, ItemFormSet, SignInForm, WithdrawConsentForm


def _private(response):
    # Personal pages and sign-in tokens: their address never goes to another site as a referrer.
    # ("no-referrer" would also make the browser send "Origin: null" on our own forms, which
    # Django's CSRF check rightly refuses.)
    response["Referrer-Policy"] = "same-origin"
    return response


def volunteer_required(view):
    """Only a signed-in volunteer; anyone else is sent to sign in. Sets ``request.volunteer``."""

    @never_cache
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        was_signed_in = services.SESSION_PERSON in request.session
        person = services.signed_in_person(request)
        if person is None:
            if was_signed_in:
                messages.info(request, "You were signed out after a while without activity. Sign in again.")
            return redirect("volunteers:sign_in")
        request.volunteer = person
        return _private(view(request, *args, **kwargs))

    return wrapper


def _errors(*forms, formset=None) -> dict:
    """Context for the error summary (volunteers/includes_errors.html)."""
    forms = [*forms, *(formset.forms if formset is not None else [])]
    formset_errors = list(formset.non_form_errors()) if formset is not None and formset.is_bound else []
    return {
        "error_forms": forms,
        "formset_errors": formset_errors,
        "has_errors": any(form.errors for form in forms) or bool(formset_errors),
    }


# Signing in and out ---------------------------------------------------------------------


@never_cache
def sign_in(request):
    if services.signed_in_person(request):
        return redirect("volunteers:overview")
    form = SignInForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.request_sign_in_link(
                email=form.cleaned_data["email"],
                ip=client_ip(request),
                link_for=lambda token: request.build_absolute_uri(reverse("volunteers:redeem", args=[token])),
            )
        except services.TooManyRequests:
            form.add_error(
                None, "You have asked for several links in a short time. Wait an hour, then try again."
            )
            status = 429
        else:
            return redirect("volunteers:sign_in_sent")
    signup = VolunteerSignupPage.objects.live().public().first()
    context = {"form": form, "signup_url": signup and signup.get_url(request), **_errors(form)}
    return render(request, "volunteers/sign_in.html", context, status=status)


@never_cache
def sign_in_sent(request):
    return render(request, "volunteers/sign_in_sent.html", {"minutes": 15})


@never_cache
def redeem(request, token):
    """GET shows a button; only the POST spends the link (mail scanners open links, and must not)."""
    if request.method == "POST":
        person = services.redeem_sign_in_link(token)
        if person is not None:
            services.sign_in(request, person)
            return HttpResponseRedirect(reverse("volunteers:overview"))
        return _private(render(request, "volunteers/link_invalid.html", status=400))
    return _private(render(request, "volunteers/redeem.html", {"token": token}))


@require_POST
def sign_out(request):
    services.sign_out(request)
    messages.success(request, "You have signed out.")
    return redirect("volunteers:sign_in")


# Their own record -----------------------------------------------------------------------


def _requirements(person):
    """What their roles need, worst first; a DBS reason only in the words any lead may read."""
    compliance = compliance_for([person.pk]).get(person.pk)
    if compliance is None:
        return None, []
    order = list(ComplianceState)
    rows = [
        {
            "name": r.name,
            "state": r.state,
            "label": ComplianceState(r.state).label,
            "expires_on": r.expires_on,
            "reason": r.general_reason or r.reason,
        }
        for r in sorted(compliance.requirements, key=lambda r: -order.index(r.state))
    ]
    return compliance.state, rows


@volunteer_required
def overview(request):
    person = request.volunteer
    state, requirements = _requirements(person)
    context = {
        "person": person,
        "memberships": person.memberships.current().select_related("partnership"),
        "applications": person.applications.open().select_related("partnership"),
        "compliance_state": state and ComplianceState(state),
        "to_do": [r for r in requirements if r["state"] != ComplianceState.CLEARED],
        "claims": ExpenseClaim.objects.filter(claimant=person).select_related("partnership")[:3],
        "may_claim": claimable_partnerships(person).exists(),
    }
    return render(request, "volunteers/overview.html", context)


@volunteer_required
def details(request):
    person = request.volunteer
    form = DetailsForm(request.POST or None, instance=services.people_who_may_sign_in().get(pk=person.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_own_details(
                person=person,
                details=services.OwnDetails(
                    **{name: form.cleaned_data[name] for name in DetailsForm.Meta.fields}
                ),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your details are saved.")
            return redirect("volunteers:details")
    return render(request, "volunteers/details.html", {"person": person, "form": form, **_errors(form)})


@volunteer_required
def training(request):
    person = request.volunteer
    state, requirements = _requirements(person)
    context = {
        "person": person,
        "compliance_state": state and ComplianceState(state),
        "requirements": requirements,
        "records": person.training_records.select_related("course").order_by("-completed_on"),
        # Level, dates and whether it is cleared only: never a certificate number.
        "dbs_checks": person.dbs_checks.order_by("-issued_on").only(
            "level", "issued_on", "outcome", "decision", "recheck_due_on", "update_service", "person_id"
        ),
    }
    return render(request, "volunteers/training.html", context)


@volunteer_required
def claims(request):
    person = request.volunteer
    context = {
        "claims": ExpenseClaim.objects.filter(claimant=person).select_related("partnership"),
        "may_claim": claimable_partnerships(person).exists(),
    }
    return render(request, "volunteers/claims.html", context)


@volunteer_required
def claim_detail(request, pk):
    claim = get_object_or_404(
        ExpenseClaim.objects.filter(claimant=request.volunteer).select_related("partnership"), pk=pk
    )
    return render(request, "volunteers/claim_detail.html", {"claim": claim, "items": claim.items.all()})


@volunteer_required
def new_claim(request):
    person = request.volunteer
    partnerships = list(claimable_partnerships(person).order_by("name"))
    if not partnerships:
        return render(request, "volunteers/claim_not_eligible.html", {"person": person}, status=403)
    queryset = claimable_partnerships(person).order_by("name")
    data = request.POST if request.method == "POST" else None
    form = ClaimForm(data, partnerships=queryset)
    items = ItemFormSet(data, request.FILES if data else None, prefix="items")
    if data is not None and form.is_valid() and items.is_valid():
        try:
            claim = submit_online_claim(
                person=person,
                partnership=form.cleaned_data["partnership"],
                purpose=form.cleaned_data["purpose"],
                items=[item.to_item() for item in items.forms if item.has_changed()],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Claim {claim.pk} is sent to your MNVP lead for approval.")
            return redirect("volunteers:claim_detail", pk=claim.pk)
    context = {
        "form": form,
        "items": items,
        "single_partnership": len(partnerships) == 1 and partnerships[0],
        **_errors(form, formset=items),
    }
    return render(request, "volunteers/new_claim.html", context)


@volunteer_required
def your_data(request):
    person = request.volunteer
    context = {
        "person": person,
        "consent_form": WithdrawConsentForm(),
        "request_form": DataRequestForm(),
        "has_equality": EqualityMonitoring.objects.filter(person=person).exists(),
    }
    return render(request, "volunteers/your_data.html", context)


@require_POST
@volunteer_required
def withdraw_consent(request):
    form = WithdrawConsentForm(request.POST)
    form.is_valid()
    changed = services.withdraw_consent(
        person=request.volunteer, erase_equality=form.cleaned_data.get("erase_equality", False)
    )
    done = []
    if changed["contact_consent"]:
        done.append("We will not contact you about opportunities, events or news.")
    if changed["equality_erased"]:
        done.append("Your equality monitoring answers are deleted.")
    messages.success(request, " ".join(done) or "Nothing needed changing: you had already withdrawn consent.")
    return redirect("volunteers:your_data")


@require_POST
@volunteer_required
def data_request(request):
    person = request.volunteer
    form = DataRequestForm(request.POST)
    if form.is_valid():
        record_request(person, form.cleaned_data["kind"], note=form.cleaned_data["note"])
        messages.success(
            request,
            "We have your request and will reply by email within one month. You do not need to ask again.",
        )
        return redirect("volunteers:your_data")
    context = {
        "person": person,
        "consent_form": WithdrawConsentForm(),
        "request_form": form,
        **_errors(form),
        "has_equality": EqualityMonitoring.objects.filter(person=person).exists(),
    }
    return render(request, "volunteers/your_data.html", context, status=400)
