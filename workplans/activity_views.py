"""Engagement activity actions in the admin: add a volunteer, record reach, mark ready or done.

Each view finds its activity through the user's scope (another MNVP's answers 404,
as if it did not exist), then needs the role's permission and the MNVP in the
user's *change* scope (an ICB commissioner, who may only read, is refused the usual
Wagtail way). The services in :mod:`workplans.services.activities` decide and record.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.forms import ServiceFormMixin
from members.enums import EQUALITY_QUESTION_CHOICES, EqualityQuestion
from members.scoping import user_can

from .enums import ActivityStatus, Theme
from .models import ActivityReach, ActivityVolunteer, EngagementActivity
from .services.activities import (
    MAX_HOURS,
    eligible_volunteers,
    mark_activity_done,
    mark_activity_ready,
    readiness,
    record_activity_reach,
    record_activity_volunteer,
    remove_activity_volunteer,
)

INSPECT_URL = "engagement_activities:inspect"


class ActivityActionView(ServiceFormMixin, WagtailAdminTemplateMixin, FormView):
    """A form about one activity of the user's MNVPs, submitted to a service."""

    audit_object_attribute = "activity"  # its Wagtail log entry goes on this record (cms/audit.py)

    template_name = "wagtailadmin/generic/form.html"
    permission_required = "workplans.change_engagementactivity"
    submit_button_label = "Save"
    header_icon = "calendar-alt"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        activities = EngagementActivity.objects.for_user(request.user, "view").select_related(
            "partnership", "risk_assessment"
        )
        self.activity = get_object_or_404(activities, pk=kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not (user.has_perm(self.permission_required) and user_can(user, "change", self.activity)):
            raise PermissionDenied
        return self.not_now() or super().dispatch(request, *args, **kwargs)

    def not_now(self):
        """A redirect, with a message, when the action does not apply to the activity as it is."""
        return None

    def get_page_subtitle(self):
        return str(self.activity)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("engagement_activities:index"), "label": "Engagement activities"},
            {"url": reverse(INSPECT_URL, args=[self.activity.pk]), "label": str(self.activity)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_url=self.request.path,
            object=self.activity,
            submit_button_label=self.submit_button_label,
            **kwargs,
        )

    def done(self, message: str):
        messages.success(self.request, message)
        return redirect(INSPECT_URL, self.activity.pk)


# Volunteers --------------------------------------------------------------------------------


class VolunteerForm(forms.Form):
    person = forms.ModelChoiceField(queryset=None, label="Volunteer")
    hours = forms.DecimalField(
        min_value=0,
        max_value=MAX_HOURS,
        decimal_places=2,
        help_text="Hours given to this activity, travel included. Recording someone again corrects them.",
    )

    def __init__(self, *args, activity, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = eligible_volunteers(activity)
        self.fields["person"].help_text = f"Current members of {activity.partnership} on the day."


class AddVolunteerView(ActivityActionView):
    permission_required = "workplans.add_activityvolunteer"
    page_title = "Record a volunteer"
    form_class = VolunteerForm
    submit_button_label = "Record"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "activity": self.activity}

    def form_valid(self, form):
        try:
            volunteer = record_activity_volunteer(
                activity=self.activity,
                person=form.cleaned_data["person"],
                hours=form.cleaned_data["hours"],
                acting_user=self.request.user,
            )
        except ValidationError as error:
            return self.service_failed(form, error)
        return self.done(f"Recorded {volunteer.person}: {volunteer.hours} hours.")


class RemoveVolunteerView(ActivityActionView):
    permission_required = "workplans.change_activityvolunteer"
    page_title = "Remove a volunteer"
    form_class = forms.Form
    submit_button_label = "Remove"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.volunteer = get_object_or_404(
            ActivityVolunteer.objects.select_related("person"),
            pk=kwargs["volunteer_pk"],
            activity=self.activity,
        )

    def get_page_subtitle(self):
        return f"{self.volunteer.person} from {self.activity}"

    def form_valid(self, form):
        remove_activity_volunteer(volunteer=self.volunteer, acting_user=self.request.user)
        return self.done(f"Removed {self.volunteer.person} from the activity.")


# Reach -------------------------------------------------------------------------------------


class ReachForm(forms.Form):
    """One count per answer to one question: how many of those heard gave it."""

    def __init__(self, *args, question: str, **kwargs):
        super().__init__(*args, **kwargs)
        for category, label in EQUALITY_QUESTION_CHOICES[question].choices:
            self.fields[category] = forms.IntegerField(label=label, min_value=0, required=False)


class RecordReachView(ActivityActionView):
    permission_required = "workplans.add_activityreach"
    form_class = ReachForm
    submit_button_label = "Save the counts"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.question = kwargs["question"]
        if self.question not in EQUALITY_QUESTION_CHOICES:
            raise PermissionDenied

    def get_page_title(self):
        return f"Reach: {EqualityQuestion(self.question).label.lower()}"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "question": self.question}

    def get_initial(self):
        return dict(
            ActivityReach.objects.filter(activity=self.activity, question=self.question).values_list(
                "category", "count"
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        heard = self.activity.people_heard
        context["page_subtitle"] = (
            f"{self.activity}: how many of the {heard} people heard gave each answer"
            if heard
            else f"{self.activity}: how many people gave each answer"
        )
        return context

    def form_valid(self, form):
        counts = {category: count for category, count in form.cleaned_data.items() if count}
        try:
            record_activity_reach(
                activity=self.activity, question=self.question, counts=counts, acting_user=self.request.user
            )
        except ValidationError as error:
            return self.service_failed(form, error)
        return self.done(f"Saved the {EqualityQuestion(self.question).label.lower()} counts.")


# Ready and done ----------------------------------------------------------------------------


class MarkReadyView(ActivityActionView):
    """Confirm that the activity may go ahead; refused, with the reason, without a current risk assessment."""

    page_title = "Mark ready to go ahead"
    form_class = forms.Form
    submit_button_label = "Mark ready"

    def not_now(self):
        if self.activity.status != ActivityStatus.PLANNED:
            messages.error(self.request, "Only a planned activity can be marked ready.")
            return redirect(INSPECT_URL, self.activity.pk)
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        _may_go_ahead, reason = readiness(self.activity)
        context["page_subtitle"] = f"{self.activity}. {reason}"
        return context

    def form_valid(self, form):
        try:
            mark_activity_ready(activity=self.activity, acting_user=self.request.user)
        except ValidationError as error:
            return self.service_failed(form, error)
        return self.done(f"{self.activity.title} is ready to go ahead.")


class DoneForm(forms.Form):
    people_heard = forms.IntegerField(min_value=0, help_text="How many people gave feedback, in total.")
    themes = forms.MultipleChoiceField(
        choices=Theme.choices, widget=forms.CheckboxSelectMultiple, required=False, label="Themes heard"
    )
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="What was heard, in aggregate: no names, nothing that could identify a family.",
    )


class MarkDoneView(ActivityActionView):
    page_title = "Record that it took place"
    form_class = DoneForm
    submit_button_label = "Mark done"

    def not_now(self):
        if self.activity.status != ActivityStatus.READY:
            messages.error(self.request, "Only an activity marked ready to go ahead can be marked done.")
            return redirect(INSPECT_URL, self.activity.pk)
        return None

    def get_initial(self):
        return {
            "people_heard": self.activity.people_heard or None,
            "themes": self.activity.themes,
            "summary": self.activity.summary,
        }

    def form_valid(self, form):
        try:
            mark_activity_done(
                activity=self.activity,
                people_heard=form.cleaned_data["people_heard"],
                themes=form.cleaned_data["themes"],
                summary=form.cleaned_data["summary"],
                acting_user=self.request.user,
            )
        except ValidationError as error:
            return self.service_failed(form, error)
        return self.done(f"{self.activity.title} is done: {form.cleaned_data['people_heard']} people heard.")
