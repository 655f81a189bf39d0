"""DBS screens beyond Wagtail's generic ones: record a decision, and show a certificate number.

Each view finds its check through the user's scope (outside it: 404, so another
MNVP's check does not reveal that it exists), then refuses what the user's role
may not do (Wagtail's denial). The services in :mod:`members.services.dbs` do the
work and write the log entries.
"""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permissions import policy_registry

from cms.access_log import record_access
from cms.models import AccessLogEntry

from .enums import DBSDecision
from .models import DBSCheck
from .services.dbs import (
    CERTIFICATE_NUMBER_PERMISSION,
    awaiting_decision,
    certificate_number_erased_note,
    record_dbs_decision,
    reveal_certificate_number,
)


class DBSCheckObjectMixin(WagtailAdminTemplateMixin):
    """Finds ``self.check`` for a user who may ``object_action`` it.

    No model permission: denied. Outside the user's scope: 404. Inside their view
    scope but not their ``object_action`` scope: denied.
    """

    object_action = "view"
    header_icon = "lock"

    def dispatch(self, request, *args, **kwargs):
        policy = policy_registry.get_by_type(DBSCheck)
        if not policy.user_has_permission(request.user, self.object_action):
            raise PermissionDenied
        visible = policy.instances_user_has_permission_for(request.user, "view").select_related("person")
        self.check = visible.filter(pk=kwargs["pk"]).first()
        if self.check is None:
            raise Http404
        if not policy.user_has_permission_for_instance(request.user, self.object_action, self.check):
            raise PermissionDenied
        self.refuse_unless_allowed()
        return super().dispatch(request, *args, **kwargs)

    def refuse_unless_allowed(self):
        """Raise PermissionDenied where this action does not apply to ``self.check``."""

    def get_page_subtitle(self):
        return str(self.check)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("dbs_checks:index"), "label": "DBS checks"},
            {"url": reverse("dbs_checks:inspect", args=[self.check.pk]), "label": str(self.check)},
            {"url": "", "label": self.get_page_title()},
        ]


class DBSDecisionForm(forms.Form):
    # No free-text note: it would sit in the log (never erased) and invite writing down
    # what the certificate disclosed. The decision, who and when are what is kept.
    decision = forms.ChoiceField(choices=DBSDecision.choices, widget=forms.RadioSelect)


class DBSDecisionView(DBSCheckObjectMixin, FormView):
    """Record the decision on a check that disclosed information (only once, only then)."""

    object_action = "change"
    form_class = DBSDecisionForm
    template_name = "wagtailadmin/generic/form.html"
    page_title = "Record the decision"

    def refuse_unless_allowed(self):
        # A clear check takes no decision, and a decided one is not re-decided.
        if not awaiting_decision(self.check):
            raise PermissionDenied

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_url=self.request.path, submit_button_label="Record the decision", **kwargs
        )

    def form_valid(self, form):
        try:
            record_dbs_decision(
                check=self.check,
                decision=form.cleaned_data["decision"],
                acting_user=self.request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
                messages.error(self.request, message)
            return self.form_invalid(form)
        messages.success(self.request, f"Recorded the decision on {self.check}.")
        return redirect("dbs_checks:inspect", self.check.pk)


@method_decorator(never_cache, name="dispatch")
class CertificateNumberView(DBSCheckObjectMixin, TemplateView):
    """Show one check's certificate number, to a DBS verifier, logging that they saw it.

    POST only, so a link prefetch, a crawler or a browser's history replay never
    reveals (or logs) a number; the page is marked not to be cached anywhere.
    """

    http_method_names = ["post"]
    template_name = "members/admin/dbs_certificate_number.html"
    page_title = "DBS certificate number"

    def refuse_unless_allowed(self):
        if not self.request.user.has_perm(CERTIFICATE_NUMBER_PERMISSION):
            raise PermissionDenied

    def post(self, request, *args, **kwargs):
        with transaction.atomic():
            number = reveal_certificate_number(check=self.check, acting_user=request.user)
            if number:
                # The append-only access log too: Wagtail's log entries can be deleted by admins.
                record_access(
                    request=request,
                    action=AccessLogEntry.Action.VIEW,
                    obj=self.check,
                    detail="DBS certificate number",
                )
        erased_note = certificate_number_erased_note(self.check) if self.check.details_erased_at else ""
        context = self.get_context_data(object=self.check, certificate_number=number, erased_note=erased_note)
        return self.render_to_response(context)
