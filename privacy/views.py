"""Subject access and erasure screens, reached from a person's page in the admin.

Each finds the person through the user's scope (outside it: 404, so nothing about
another MNVP's people leaks), then needs its own permission (held by host staff).
Every export and every erasure is written to the access log.
"""

from __future__ import annotations

import json

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.access_log import record_access
from cms.models import AccessLogEntry
from members.models import Person
from members.scoping import scope_queryset

from .enums import RequestKind, RequestStatus
from .models import DataRequest
from .services.erasure import erase_person, erasure_blockers
from .services.subject_access import subject_access_data, subject_access_sections

SUBJECT_ACCESS_PERMISSION = "privacy.export_subject_access"
ERASE_PERMISSION = "privacy.erase_person"


class PersonObjectMixin:
    """Finds ``self.person`` for a user holding ``permission``: 403 without it, 404 outside scope."""

    permission: str
    scope_action = "view"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        people = scope_queryset(Person.objects.all(), request.user, self.scope_action)
        self.person = people.filter(pk=kwargs["person_id"]).first()
        if self.person is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


@method_decorator(never_cache, name="dispatch")
class SubjectAccessView(PersonObjectMixin, TemplateView):
    """Everything held on one person: a printable page, or JSON with ``?format=json``."""

    permission = SUBJECT_ACCESS_PERMISSION
    template_name = "privacy/subject_access.html"

    def get(self, request, *args, **kwargs):
        as_json = request.GET.get("format") == "json"
        record_access(
            request=request,
            action=AccessLogEntry.Action.EXPORT,
            obj=self.person,
            detail=f"Subject access export ({'JSON' if as_json else 'page'})",
        )
        if as_json:
            body = json.dumps(subject_access_data(self.person), indent=2, ensure_ascii=False)
            response = HttpResponse(body, content_type="application/json; charset=utf-8")
            filename = f"subject-access-{self.person.pk}-{timezone.localdate():%Y-%m-%d}.json"
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            person=self.person,
            sections=subject_access_sections(self.person),
            generated_at=timezone.now(),
            json_url=f"{self.request.path}?format=json",
            **kwargs,
        )


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label="Why is this person being erased?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: “Asked by email on 3 March to be erased.” Kept with the erasure record.",
    )
    confirm = forms.BooleanField(
        label="I understand this cannot be undone: their name, contact details, equality answers, DBS "
        "checks and certificates are removed for good.",
    )


@method_decorator(never_cache, name="dispatch")
class ErasePersonView(PersonObjectMixin, WagtailAdminTemplateMixin, FormView):
    """Confirm, then erase a person (refused, saying why, while something blocks it)."""

    permission = ERASE_PERMISSION
    scope_action = "change"
    form_class = ErasureForm
    template_name = "privacy/admin/erase_person.html"
    page_title = "Erase a person"
    header_icon = "bin"

    def get_page_subtitle(self):
        return str(self.person)

    def get_context_data(self, **kwargs):
        request = (
            DataRequest.objects.filter(
                person=self.person, kind=RequestKind.ERASURE, status=RequestStatus.OPEN
            )
            .order_by("requested_at")
            .first()
        )
        return super().get_context_data(
            person=self.person,
            blockers=erasure_blockers(self.person),
            data_request=request,
            person_url=_person_url(self.person),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            erasure = erase_person(self.person, self.request.user, form.cleaned_data["reason"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
                messages.error(self.request, message)
            return self.form_invalid(form)
        record_access(
            request=self.request,
            action=AccessLogEntry.Action.CHANGE,
            obj=self.person,
            detail=f"Erased as {erasure.pseudonym}",
        )
        messages.success(self.request, f"Erased. Records that must be kept now show “{erasure.pseudonym}”.")
        return redirect(_person_url(self.person))


def _person_url(person) -> str:
    return reverse("people:inspect", args=[person.pk])
