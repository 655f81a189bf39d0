"""A simple form page: editors build a form from fields in the admin; answers are kept and emailed.

Wagtail's own form builder (wagtail.contrib.forms), for what needs no code: a short
survey, an event sign-up, a question for the team. The volunteer sign-up is not one of
these: it is a fixed form with consent, dedupe and equality monitoring kept apart.
Submissions are listed under Forms in the admin for those who may edit the page.
"""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField


class FormField(AbstractFormField):
    page = ParentalKey("home.FormPage", on_delete=models.CASCADE, related_name="form_fields")


class FormPage(AbstractEmailForm):
    """A simple form page editors can build: fields, words before and after, who is emailed."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link", "ul"])
    thank_you_text = RichTextField(blank=True, features=["bold", "italic", "link", "ul", "ol"])

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = []
    template = "home/form_page.html"
    landing_page_template = "home/form_page_landing.html"
    content_panels = [
        *AbstractEmailForm.content_panels,
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label="Form fields"),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading="Email the answers (optional)",
        ),
    ]

    class Meta:
        verbose_name = "simple form page"
