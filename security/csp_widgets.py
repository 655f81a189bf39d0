"""Wagtail's chooser widgets without an inline script, so they work under our CSP.

Wagtail 8's ``BaseChooser.render`` appends ``<script>new PageChooser("id", {...});</script>``
after the widget, which ``script-src 'self'`` blocks. Instead we leave a hidden span
with the constructor's name, the element id and the options as data attributes;
security/static/security/js/csp-init.js calls the same constructor with them. The
workflow task chooser, whose script is a call of ``createTaskChooser(id)``, leaves a span
that csp-init.js answers with that call. Any other chooser subclass with its own
``render_js_init`` keeps Wagtail's rendering (and a browser test would show its
violation). Installed from ``SecurityConfig.ready``.
"""

from __future__ import annotations

import json

from django.utils.html import format_html
from wagtail.admin.widgets.chooser import BaseChooser

_original_render = BaseChooser.render


def render_without_inline_script(self, name, value, attrs=None, renderer=None):
    from wagtail.admin.widgets.workflows import AdminTaskChooser

    task_chooser = isinstance(self, AdminTaskChooser)
    if type(self).render_js_init is not BaseChooser.render_js_init and not task_chooser:
        return _original_render(self, name, value, attrs=attrs, renderer=renderer)
    try:
        id_ = attrs["id"]
    except (KeyError, TypeError) as e:
        raise TypeError("BaseChooser cannot be rendered without an 'id' attribute") from e
    value_data = self.get_value_data(value)
    widget_html = self.render_html(name, value_data, attrs)
    if task_chooser:
        return format_html(
            '{}<span hidden data-csp-init="task-chooser" data-csp-target="{}"></span>', widget_html, id_
        )
    options = self.get_js_init_options(id_, name, value_data)
    return format_html(
        '{}<span hidden data-csp-init="chooser" data-csp-constructor="{}" data-csp-target="{}" '
        'data-csp-config="{}"></span>',
        widget_html,
        self.js_constructor,
        id_,
        json.dumps(options),
    )


def install() -> None:
    BaseChooser.render = render_without_inline_script
