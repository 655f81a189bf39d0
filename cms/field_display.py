"""How model field values read on the admin's inspect pages.

Wagtail's InspectView prints a field's value as it is, so a BooleanField reads
"True"/"False". A display class registered here applies to every inspect view
that lists the field, without a ``get_<field>_display_value`` per view. The hook is
``register_display_class`` (wagtail/admin/ui/fields.py), read by
``InspectView.get_field_display_value`` (wagtail/admin/views/generic/models.py).
"""

from django.db import models
from django.utils.html import escape
from wagtail.admin.ui.fields import BaseFieldDisplay, register_display_class

YES_NO = {True: "Yes", False: "No"}


class YesNoDisplay(BaseFieldDisplay):
    """A yes/no answer in words; an unanswered (null) one as a dash."""

    def render_html(self, parent_context=None):
        return escape(YES_NO.get(self.value, "—"))


def register_field_displays():
    register_display_class(models.BooleanField, display_class=YesNoDisplay)
