"""Recruitment actions in the admin: move an application, accept it, move several at once.

Each view finds its applications through the user's scope (another MNVP's answers
404) and calls a service; nothing is decided here.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permissions import policy_registry

from cms.forms import ServiceFormMixin

from .admin_forms import AcceptApplicationForm, BulkMoveApplicationsForm, MoveApplicationForm
from .filters import ApplicationFilterSet
from .models import Application
from .services.recruitment import accept_application, move_application


class ApplicationActionMixin(ServiceFormMixin, WagtailAdminTemplateMixin):
    audit_object_attribute = "application"  # its Wagtail log entry goes on this record (cms/audit.py)
    template_name = "wagtailadmin/generic/form.html"
    header_icon = "user"

    def dispatch(self, request, *args, **kwargs):
        policy = policy_registry.get_by_type(Application)
        if not policy.user_has_permission(request.user, "change"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def scoped_applications(self):
        return Application.objects.for_user(self.request.user, "change").select_related(
            "person", "partnership"
        )


class SingleApplicationActionMixin(ApplicationActionMixin):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.application = get_object_or_404(self.scoped_applications(), pk=kwargs["pk"])

    def get_page_subtitle(self):
        return str(self.application)

    def get_context_data(self, **kwargs):
        return super().get_context_data(action_url=self.request.path, object=self.application, **kwargs)

    def get_success_url(self):
        return reverse("applications:inspect", args=[self.application.pk])


class MoveApplicationView(SingleApplicationActionMixin, FormView):
    form_class = MoveApplicationForm
    page_title = "Move application"
    submit_button_label = "Move"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "from_stages": {self.application.stage}}

    def form_valid(self, form):
        try:
            move_application(
                application=self.application,
                to_stage=form.cleaned_data["to_stage"],
                acting_user=self.request.user,
                note=form.cleaned_data["note"],
                decline_reason=form.cleaned_data["decline_reason"],
            )
        except ValidationError as error:
            return self.service_failed(form, error)
        messages.success(self.request, f"Moved {self.application.person}'s application.")
        return redirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(submit_button_label=self.submit_button_label, **kwargs)


class AcceptApplicationView(SingleApplicationActionMixin, FormView):
    form_class = AcceptApplicationForm
    page_title = "Accept into membership"

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            membership = accept_application(
                application=self.application,
                role=data["role"],
                ppv_category=data["ppv_category"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                acting_user=self.request.user,
                note=data["note"],
            )
        except ValidationError as error:
            return self.service_failed(form, error)
        messages.success(self.request, f"{membership.person} is now a member of {membership.partnership}.")
        return redirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(submit_button_label="Accept", **kwargs)


class BulkMoveApplicationsView(ApplicationActionMixin, FormView):
    """Move several open applications at once: those the listing's filters select."""

    form_class = BulkMoveApplicationsForm
    page_title = "Move several applications"
    max_applications = 200

    def get_candidates(self):
        filters = ApplicationFilterSet(
            self.request.GET, queryset=self.scoped_applications().open(), request=self.request
        )
        if not filters.is_valid():
            raise Http404
        return filters.qs[: self.max_applications]

    def get_form_kwargs(self):
        candidates = self.get_candidates()
        ids = [a.pk for a in candidates]
        return {**super().get_form_kwargs(), "applications": self.scoped_applications().filter(pk__in=ids)}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            with transaction.atomic():
                for application in data["applications"]:
                    move_application(
                        application=application,
                        to_stage=data["to_stage"],
                        acting_user=self.request.user,
                        note=data["note"],
                        decline_reason=data["decline_reason"],
                    )
        except ValidationError as error:
            return self.service_failed(form, error)
        messages.success(self.request, f"Moved {len(data['applications'])} applications.")
        return redirect(reverse("applications:index") + "?" + self.request.GET.urlencode())

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_url=self.request.get_full_path(), submit_button_label="Move selected", **kwargs
        )
