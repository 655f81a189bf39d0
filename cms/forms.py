"""Form helpers shared by every admin action view."""

from django import forms
from django.core.exceptions import ValidationError

from .audit import AuditedActionMixin


class DateInput(forms.DateInput):
    """A browser date picker (``<input type="date">``) whose value is always yyyy-mm-dd.

    Browsers read a date input's value only in ISO form; the en-GB default (dd/mm/yyyy)
    leaves the box empty, so an initial or re-shown date would be lost.
    """

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):
        super().__init__(attrs=attrs, format=format)


class InlineOptionsSelect(forms.Select):
    """Django's ``<select>``, its options written in the one template rather than one include each.

    Django renders every option through two templates (``select_option.html`` and
    ``attrs.html``): 51 MNVPs cost about 4 ms on each listing that offers them as a
    filter. The HTML is the same, character for character.
    """

    template_name = "cms/widgets/select_inline_options.html"


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: beside its field where the form has one.

    Services validate (full_clean, state rules) and raise; views show the result as
    form errors, keeping what was typed, rather than a server error.
    """
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class ServiceFormMixin(AuditedActionMixin):
    """For admin form views that call a service: its refusal becomes form errors.

    A successful action on ``self.object`` leaves a Wagtail log entry (cms/audit.py).

    ``service_failed(form, error)`` puts the error on the form; non-field errors are also
    shown as messages on top, because Wagtail's form template shows only field errors.
    """

    def service_failed(self, form, error: ValidationError):
        add_service_errors(form, error)
        return self.form_invalid(form)

    def form_invalid(self, form):
        from wagtail.admin import messages

        for message in form.non_field_errors():
            messages.error(self.request, message)
        return super().form_invalid(form)
