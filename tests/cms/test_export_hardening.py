"""Exports: every spreadsheet export neutralises formulas (= + - @ tab CR), whichever view makes it."""

import io
from http import HTTPStatus

import openpyxl
import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from cms.spreadsheets import FORMULA_TRIGGERS, neutralise_formula
from tests.factories import MembershipFactory, PersonFactory, UserFactory

MALICIOUS = [f'{trigger}HYPERLINK("http://evil.example","x")' for trigger in FORMULA_TRIGGERS]


def export_view_classes():
    found = {}

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                view_class = getattr(pattern.callback, "view_class", None)
                if view_class and issubclass(view_class, SpreadsheetExportMixin):
                    found[view_class] = prefix + str(pattern.pattern)

    walk(get_resolver().url_patterns)
    return found


EXPORT_VIEWS = export_view_classes()


def test_the_admin_has_export_views_to_check():
    assert len(EXPORT_VIEWS) > 20


@pytest.mark.parametrize("view_class", list(EXPORT_VIEWS), ids=lambda view: view.__qualname__)
@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_every_export_view_neutralises_every_formula_trigger(view_class, export_format):
    view = view_class()
    for value in MALICIOUS:
        where = EXPORT_VIEWS[view_class]
        assert view.preprocess_field_value("field", value, export_format) == "'" + value, where


def test_harmless_values_are_left_alone():
    assert neutralise_formula("Ward 4") == "Ward 4"
    assert neutralise_formula(-3) == -3


@pytest.mark.django_db
@pytest.mark.parametrize("trigger", FORMULA_TRIGGERS)
def test_a_malicious_name_exports_as_text_in_csv_and_xlsx(client, host_staff, north, trigger):
    value = f"{trigger}cmd|' /C calc'!A0"
    MembershipFactory(person=PersonFactory(first_name=value), partnership=north)
    client.force_login(host_staff)
    csv_response = client.get(reverse("people:index"), {"export": "csv"})
    assert csv_response.status_code == HTTPStatus.OK
    csv_text = b"".join(csv_response.streaming_content).decode("utf-8-sig")
    assert "'" + trigger + "cmd" in csv_text
    xlsx_response = client.get(reverse("people:index"), {"export": "xlsx"})
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx_response.streaming_content)))
    cells = [cell.value for row in workbook.active.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert any("cmd|" in cell for cell in cells)
    assert not [cell for cell in cells if cell.startswith(FORMULA_TRIGGERS)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "permissions"),
    [
        ("people:index", ["members.view_person"]),
        ("memberships:index", ["members.view_membership"]),
        ("training_records:index", ["members.view_trainingrecord"]),
        ("feedback_items:index", ["workplans.view_feedbackitem"]),
    ],
)
def test_an_export_without_the_export_permission_is_refused(client, url_name, permissions):
    """Seeing the list is not carrying it away: the listing opens, its export does not."""
    from django.contrib.auth.models import Permission

    user = UserFactory(is_superuser=False)
    for name in ["wagtailadmin.access_admin", "members.view_partnership", *permissions]:
        app_label, codename = name.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    client.force_login(user)
    assert client.get(reverse(url_name)).status_code == HTTPStatus.OK
    response = client.get(reverse(url_name), {"export": "csv"})
    assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
    assert not getattr(response, "streaming", False)
