"""The public site's page types: what families and volunteers read."""

from typing import NamedTuple

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect, render
from django.utils.functional import cached_property
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Page
from wagtail.search import index

from cms.antispam import SpamSuspected, TooFast, client_ip, rate_limited
from cms.forms import add_service_errors
from members.forms import VolunteerSignupForm
from members.models import Partnership, RecruitmentSettings
from members.services.recruitment import submit_signup
from safeguarding.directory import public_organisations
from safeguarding.enums import SupportArea, SupportTopic
from safeguarding.models import SupportOrganisation
from workplans.models import EngagementActivity
from workplans.public import public_actions, public_events, public_events_of
from workplans.services.feedback import record_public_feedback

from .forms import PublicFeedbackForm

SPAM = 0  # what screen_public_post answers for a submission to thank and drop


def screen_public_post(request, form, *, scope: str, limit: int) -> int:
    """The defences every public form runs on a POST before its own work: the HTTP status to answer.

    :data:`SPAM` for a filled honeypot (thank it, save nothing). Otherwise the form is
    validated, and gains an error when the connection sent more than ``limit`` forms of this
    ``scope`` in the hour (status 429), or when answers that are otherwise right came sooner
    than a person could type them (they only need sending again). The caller saves only if
    the form has no errors.
    """
    if rate_limited(f"{scope}:{client_ip(request)}", limit=limit, window_seconds=3600):
        form.add_error(None, "We have had a lot of forms from your connection. Please try again in an hour.")
        return 429
    try:
        form.check_spam()
    except SpamSuspected:
        return SPAM
    except TooFast:
        if form.is_valid():
            form.add_error(None, "Please check your answers, then send the form again.")
    form.is_valid()
    return 200


class CallToActionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False)
    link_page = blocks.PageChooserBlock(required=False)
    link_url = blocks.URLBlock(required=False)
    link_text = blocks.CharBlock(max_length=60)

    class Meta:
        icon = "link"
        template = "home/blocks/call_to_action.html"


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(form_classname="title", max_length=120, template="home/blocks/heading.html")
    paragraph = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"])
    image = ImageBlock()
    call_to_action = CallToActionBlock()


@register_setting(icon="mail")
class SiteContact(BaseSiteSetting):
    """The host's details shown in every page's footer."""

    organisation_name = models.CharField(max_length=150, default="MNVP host")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    privacy_notice = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    footer_text = models.TextField(blank=True)

    class Meta:
        verbose_name = "site contact details"


class ComingEvent(NamedTuple):
    """A public event on the home page, with the MNVP page whose events list it links to."""

    event: EngagementActivity
    mnvp_page: "MNVPPage"
    events_url: str


class HomePage(Page):
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    body = StreamField(BodyBlock(), blank=True)

    #: Upcoming public events shown on the home page, across every MNVP.
    events_coming_up = 4

    max_count = 1
    subpage_types = [
        "home.MNVPPage",
        "home.StandardPage",
        "home.VolunteerSignupPage",
        "home.SignpostingPage",
        "home.FormPage",
    ]
    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]

    class Meta:
        verbose_name = "home page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        mnvp_pages = list(
            MNVPPage.objects.live().public().child_of(self).select_related("partnership").order_by("title")
        )
        context["mnvp_pages"] = mnvp_pages
        context["coming_up"] = self.coming_up(request, mnvp_pages)
        context["signup_page"] = VolunteerSignupPage.objects.live().public().first()
        return context

    def coming_up(self, request, mnvp_pages) -> list[ComingEvent]:
        """The next public events of the MNVPs listed here, each with its page (one query).

        Only MNVPs whose page is live and public: an MNVP without one has no events page
        to link to, and its events are not announced here.
        """
        pages = {page.partnership_id: page for page in mnvp_pages}
        if not pages:
            return []
        return [
            ComingEvent(
                event=event,
                mnvp_page=(page := pages[event.partnership_id]),
                events_url=page.get_url(request) + page.reverse_subpage("events"),
            )
            for event in public_events_of(pages, limit=self.events_coming_up)
        ]


class MNVPPage(RoutablePageMixin, Page):
    """One MNVP's public page: who they are, who they work with, how to take part.

    Under it: ``events/`` (every public event, when there are more than the page shows)
    and ``feedback/`` (the feedback form, then ``feedback/thanks/``).
    """

    #: Events shown on the page itself; the rest are on its events list.
    events_on_page = 3
    feedback_rate_limit_per_hour = 10

    partnership = models.OneToOneField(
        Partnership,
        on_delete=models.PROTECT,
        related_name="public_page",
        error_messages={"unique": "That MNVP already has a public page: edit that one instead."},
    )
    summary = models.CharField(max_length=250, help_text="One or two sentences shown on the home page.")
    about = RichTextField(features=["bold", "italic", "link", "ol", "ul", "h2", "h3"])
    get_in_touch = RichTextField(blank=True, features=["bold", "italic", "link", "ol", "ul"])
    where_we_listen = RichTextField(
        blank=True, features=["bold", "italic", "link", "ul"], help_text="Regular places and groups we visit."
    )
    volunteer_text = models.TextField(
        default=(
            "Have you used maternity or neonatal services here? "
            "Your experience can help make care better for the families who come after you."
        ),
    )

    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.StandardPage"]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("about")]
    content_panels = [
        *Page.content_panels,
        FieldPanel("partnership"),
        FieldPanel("summary"),
        FieldPanel("about"),
        FieldPanel("where_we_listen"),
        FieldPanel("get_in_touch"),
        FieldPanel("volunteer_text"),
    ]

    class Meta:
        verbose_name = "MNVP page"

    def clean(self):
        super().clean()
        if (
            self.partnership_id
            and MNVPPage.objects.filter(partnership_id=self.partnership_id).exclude(pk=self.pk).exists()
        ):
            raise ValidationError(
                {"partnership": "That MNVP already has a public page: edit that one instead."}
            )

    @cached_property
    def signup_page(self):
        return VolunteerSignupPage.objects.live().public().first()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["served_units"] = self.partnership.served_units.all()
        events = public_events(self.partnership, limit=self.events_on_page + 1)
        context["events"] = events[: self.events_on_page]
        context["more_events"] = len(events) > self.events_on_page
        context["you_said_we_did"] = public_actions(self.partnership)
        if self.signup_page:
            context["volunteer_url"] = f"{self.signup_page.url}?mnvp={self.partnership.slug}"
        return context

    def _sub_url(self, name: str) -> str:
        return self.url + self.reverse_subpage(name)

    def _route_context(self, request, **extra) -> dict:
        """What a route's template needs: the page, and where families find support."""
        signposting = SignpostingPage.objects.live().public().first()
        return {
            **Page.get_context(self, request),
            "signposting_url": signposting.url if signposting else "",
            **extra,
        }

    @property
    def events_url(self) -> str:
        return self._sub_url("events")

    @property
    def feedback_url(self) -> str:
        return self._sub_url("feedback")

    @path("events/", name="events")
    def events(self, request):
        """Every public event of the MNVP from today on."""
        return render(
            request,
            "home/mnvp_events.html",
            self._route_context(request, events=public_events(self.partnership)),
        )

    @path("feedback/", name="feedback")
    def feedback(self, request):
        """The public feedback form: lands as a feedback item of this MNVP, from nobody named."""
        status = 200
        if request.method == "POST":
            form = PublicFeedbackForm(request.POST)
            status = screen_public_post(
                request, form, scope="feedback", limit=self.feedback_rate_limit_per_hour
            )
            if status == SPAM:
                return redirect(self._sub_url("feedback_thanks"))
            if not form.errors:
                try:
                    record_public_feedback(partnership=self.partnership, **form.feedback())
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    return redirect(self._sub_url("feedback_thanks"))
        else:
            form = PublicFeedbackForm()
        context = self._route_context(request, form=form)
        return render(request, "home/mnvp_feedback.html", context, status=status)

    @path("feedback/thanks/", name="feedback_thanks")
    def feedback_thanks(self, request):
        return render(request, "home/mnvp_feedback_thanks.html", self._route_context(request))


class StandardPage(Page):
    body = StreamField(BodyBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]

    class Meta:
        verbose_name = "standard page"


class VolunteerSignupPage(Page):
    """The public volunteer sign-up form. Host staff edit its words; the form is fixed."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link", "ul"])
    recruits_for = models.ManyToManyField(
        Partnership,
        blank=True,
        related_name="+",
        help_text="The MNVPs people can choose here. Leave empty to offer every open MNVP.",
    )
    thank_you_text = RichTextField(
        features=["bold", "italic", "link", "ul", "ol"],
        default="<p>Someone from the team will be in touch within two weeks.</p>",
    )
    rate_limit_per_hour = 10

    max_count = 1
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("recruits_for", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel([FieldPanel("thank_you_text")], heading="After signing up"),
    ]

    class Meta:
        verbose_name = "volunteer sign-up page"

    def offered_partnerships(self):
        """The MNVPs chosen for this page, or every open one if none are: one query, not two."""
        chosen = self.recruits_for.through.objects.filter(volunteersignuppage_id=self.pk)
        return Partnership.objects.public().filter(
            Exists(chosen.filter(partnership_id=OuterRef("pk"))) | ~Exists(chosen)
        )

    def serve(self, request, *args, **kwargs):
        partnerships = self.offered_partnerships()
        status = 200
        if request.method == "POST":
            form = VolunteerSignupForm(request.POST, partnerships=partnerships)
            status = screen_public_post(request, form, scope="signup", limit=self.rate_limit_per_hour)
            if status == SPAM:
                return self.render_thanks(request, person=None)
            if not form.errors:
                result = submit_signup(signup=form.to_signup())
                return self.render_thanks(request, person=result.person, applications=result.applications)
        else:
            slug = request.GET.get("mnvp", "")
            preselected = partnerships.filter(slug=slug).values_list("pk", flat=True) if slug else []
            form = VolunteerSignupForm(partnerships=partnerships, initial={"partnerships": list(preselected)})
        context = self.get_context(request, *args, **kwargs)
        context.update(
            form=form, privacy_notice_url=RecruitmentSettings.load(request_or_site=request).privacy_notice_url
        )
        response = render(request, self.get_template(request), context, status=status)
        return response

    def render_thanks(self, request, person, applications=()):
        context = self.get_context(request)
        context.update(person=person, applications=applications)
        return render(request, "home/volunteer_signup_thanks.html", context)


class SignpostingFilterForm(forms.Form):
    """The directory's filters: plain GET parameters, so they work without JavaScript and can be shared."""

    topic = forms.ChoiceField(label="What do you need help with?", required=False)
    area = forms.ChoiceField(label="Where", required=False)
    mnvp = forms.ChoiceField(
        label="Your local MNVP",
        required=False,
        help_text="Shows that area's local organisations with the national ones.",
    )

    def __init__(self, *args, partnerships, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnerships = partnerships
        self.fields["topic"].choices = [("", "Anything"), *SupportTopic.choices]
        self.fields["area"].choices = [("", "Anywhere"), *SupportArea.choices]
        self.fields["mnvp"].choices = [("", "Any"), *((p.slug, p.name) for p in partnerships)]

    def filters(self) -> dict:
        """The chosen filters, as :func:`safeguarding.directory.public_organisations` takes them."""
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        slug = data.get("mnvp")
        partnership = next((p for p in self.partnerships if p.slug == slug), None) if slug else None
        return {"topic": data.get("topic", ""), "area": data.get("area", ""), "partnership": partnership}


class SignpostingPage(Page):
    """The public signposting directory: where families and volunteers find support.

    Lists the active organisations of the directory kept in the admin
    (Safeguarding > Signposting directory), filtered by GET parameters.
    """

    intro = RichTextField(blank=True, features=["bold", "italic", "link", "ul"])
    urgent_help = RichTextField(
        blank=True,
        features=["bold", "italic", "link"],
        default=(
            "<p>If someone is in immediate danger, call <b>999</b>. For urgent medical help, call "
            "<b>111</b>.</p>"
        ),
        help_text="Shown above the list, for anyone in crisis.",
    )

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("urgent_help")]

    class Meta:
        verbose_name = "signposting page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        partnerships = list(Partnership.objects.public().order_by("name"))
        params = {key: request.GET[key] for key in ("topic", "area", "mnvp") if request.GET.get(key)}
        form = SignpostingFilterForm(params or None, partnerships=partnerships)
        filters = form.filters()
        organisations = list(public_organisations(**filters))
        topics = SupportOrganisation._meta.get_field("helps_with")
        for organisation in organisations:
            organisation.helps_with_labels = topics.labels(organisation.helps_with)
        context.update(
            filter_form=form,
            filtered=bool(filters and any(filters.values())),
            organisations=organisations,
        )
        return context


from .form_pages import FormField, FormPage  # noqa: E402, F401 - a simple form page (Wagtail forms)
