"""manage.py bench: a tiny run in the test database gives every case a ratio; real data is refused."""

import json

import pytest
from django.core.management import CommandError, call_command

from cms.antispam import HONEYPOT_FIELD, TIMESTAMP_FIELD
from cms.management.commands.bench import form_builder_fields
from members.forms import VolunteerSignupForm
from members.models import Partnership

pytestmark = pytest.mark.django_db

LISTINGS = ["people", "applications", "training_records", "milestones", "expense_claims"]


def test_a_tiny_run_measures_every_case_against_its_baseline(tmp_path):
    output = tmp_path / "bench-results.json"
    call_command("bench", size="tiny", repeat=1, output=str(output), in_current_db=True)

    cases = json.loads(output.read_text())
    names = {case["name"] for case in cases}
    for listing in LISTINGS:
        for who in ("host", "lead"):
            assert f"{listing} listing, {who}, first page" in names
            assert any(n.startswith(f"{listing} listing, {who}, page ") for n in names)
            assert any(n.startswith(f"{listing} listing, {who}, search") for n in names)
        assert f"{listing}: plain ORM page query (reference)" in names
    for report in ("compliance report", "workplan progress", "recruitment funnel"):
        assert {f"{report}, host", f"{report}, lead"} <= names
    assert {"person edit view, host", "person inspect view, lead"} <= names
    for method in ("GET", "POST"):
        against_form_builder = next(c for c in cases if c["name"] == f"sign-up {method} (in-process)")
        assert against_form_builder["baseline"] == "Wagtail form-builder page with the same fields"
        assert f"sign-up {method} (in-process), against the ceiling" in names
    assert any(n.startswith("import ") and "django-import-export" in n for n in names)
    assert any(n.startswith("import check") for n in names)
    assert "reminder sweep (training and DBS)" in names
    for case in cases:
        assert set(case) >= {
            "name",
            "product_seconds",
            "product_p95",
            "baseline_seconds",
            "ratio",
            "queries",
            "rows",
        }
        assert case["product_seconds"] > 0, case
        assert case["baseline_seconds"] > 0, case
        assert case["ratio"] is not None, case
        assert case["ratio"] >= 0, case
        assert case["queries"] > 0, case


def test_it_refuses_a_database_that_holds_data(tmp_path, north):
    with pytest.raises(CommandError, match="holds data"):
        call_command("bench", size="tiny", repeat=1, output=str(tmp_path / "out.json"), in_current_db=True)
    assert Partnership.objects.filter(pk=north.pk).exists()


def test_the_form_builder_baseline_asks_every_field_of_the_sign_up_with_the_same_names():
    fields = {field["label"].replace(" ", "_"): field for field in form_builder_fields([7, 9])}

    signup = VolunteerSignupForm(partnerships=None)
    asked = [name for name in signup.fields if name not in (HONEYPOT_FIELD, TIMESTAMP_FIELD)]
    assert list(fields) == asked
    for name in asked:
        assert fields[name]["required"] == signup.fields[name].required, name
    assert fields["partnerships"]["choices"].split() == ["7", "9"]
    assert fields["email"]["field_type"] == "email"
    assert fields["message"]["field_type"] == "multiline"
    assert fields["ethnicity"]["field_type"] == "dropdown"
    assert fields["privacy_consent"]["field_type"] == "checkbox"
