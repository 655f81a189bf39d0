"""Workplan actions in the admin: sign off, copy to a new year, post a milestone update, download.

Each view finds its record through the user's scope (another MNVP's answers 404,
as if it did not exist), then asks the service's rule whether the user may act
(inside the scope but not allowed: Wagtail's usual permission refusal). The
service decides and records; nothing is decided here.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.forms import ServiceFormMixin

from .enums import SignOffStage
from .models import Milestone, MilestoneUpdate, Workplan
from .plan_forms import CopyWorkplanForm, MilestoneUpdateForm, SignOffForm
from .services.plans import (
    copy_workplan,
    next_stage,
    post_milestone_update,
    sign_off,
    user_may_copy,
    user_may_post_update,
    user_may_sign_off,
)


class ActionFormView(ServiceFormMixin, WagtailAdminTemplateMixin, FormView):
    """A form about one record of the user's MNVPs, submitted to a service."""

    template_name = "wagtailadmin/generic/form.html"
    model = None
    submit_button_label = "Save"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        if not self.user_may_act():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return self.model.objects.for_user(self.request.user, "view")

    def user_may_act(self) -> bool:
        raise NotImplementedError

    def get_page_subtitle(self):
        return str(self.object)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_url=self.request.path,
            object=self.object,
            submit_button_label=self.submit_button_label,
            **kwargs,
        )


class SignOffWorkplanView(ActionFormView):
    """Record the workplan's next sign-off stage (one step, by whoever that stage belongs to)."""

    model = Workplan
    form_class = SignOffForm
    header_icon = "tick"
    submit_button_label = "Sign off"

    def user_may_act(self):
        return user_may_sign_off(self.request.user, self.object)

    @property
    def stage(self) -> str:
        return next_stage(self.object.stage)

    def get_page_title(self):
        return f"Sign off: {SignOffStage(self.stage).label.lower()}"

    def get_initial(self):
        return {"funding_agreed": self.object.funding_agreed}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            sign_off(
                workplan=self.object,
                stage=self.stage,
                acting_user=self.request.user,
                funding_agreed=data["funding_agreed"],
                on_behalf_of=data["on_behalf_of"],
                note=data["note"],
            )
        except ValidationError as error:
            return self.service_failed(form, error)
        messages.success(self.request, f"{self.object}: {SignOffStage(self.stage).label.lower()}.")
        return redirect("workplans:inspect", self.object.pk)


class CopyWorkplanView(ActionFormView):
    """Start the MNVP's workplan for a later year as a copy of this one."""

    model = Workplan
    form_class = CopyWorkplanForm
    header_icon = "copy"
    page_title = "Copy to a new year"
    submit_button_label = "Copy"

    def user_may_act(self):
        return user_may_copy(self.request.user, self.object)

    def get_initial(self):
        return {"year": self.object.year + 1}

    def form_valid(self, form):
        try:
            copy = copy_workplan(
                from_workplan=self.object, year=form.cleaned_data["year"], acting_user=self.request.user
            )
        except ValidationError as error:
            return self.service_failed(form, error)
        messages.success(self.request, f"Started {copy} as a copy of {self.object.year_label}.")
        return redirect("workplans:inspect", copy.pk)


class PostMilestoneUpdateView(ActionFormView):
    """A lead (or host staff) posts progress on a milestone: new status, note, evidence."""

    model = Milestone
    form_class = MilestoneUpdateForm
    header_icon = "comment"
    page_title = "Post an update"
    submit_button_label = "Post update"

    def user_may_act(self):
        return user_may_post_update(self.request.user, self.object)

    def get_queryset(self):
        return super().get_queryset().select_related("objective__workplan__partnership")

    def get_initial(self):
        return {"status": self.object.status}

    def get_context_data(self, **kwargs):
        return super().get_context_data(form_is_multipart=True, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            post_milestone_update(
                milestone=self.object,
                status=data["status"],
                note=data["note"],
                attachment=data["attachment"] or None,
                acting_user=self.request.user,
            )
        except ValidationError as error:
            return self.service_failed(form, error)
        messages.success(self.request, f"Posted an update on “{self.object}”.")
        return redirect("milestones:inspect", self.object.pk)


class UpdateAttachmentView(View):
    """An update's attachment, from private storage, to those who may see the milestone's MNVP."""

    def get(self, request, pk):
        if not request.user.has_perm("workplans.view_milestoneupdate"):
            raise PermissionDenied
        update = get_object_or_404(MilestoneUpdate.objects.for_user(request.user, "view"), pk=pk)
        if not update.attachment:
            raise Http404
        extension = update.attachment.name.rsplit(".", 1)[-1]
        return FileResponse(
            update.attachment.open("rb"),
            as_attachment=True,
            filename=f"milestone-update-{update.pk}.{extension}",
        )
