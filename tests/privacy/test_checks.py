"""privacy.E001: a model of ours holding personal data without a retention rule fails the checks."""

import pytest
from django.core import checks
from django.db import models
from django.test.utils import isolate_apps

from cms.encryption import EncryptedTextField
from privacy import registry
from privacy.checks import check_retention_rules, personal_fields


class FakeAppConfig:
    """Stands for one of our apps (under the project's directory) holding ``models``."""

    def __init__(self, *models_):
        from django.conf import settings

        self.path = str(settings.BASE_DIR / "members")
        self._models = models_

    def get_models(self):
        return self._models


@isolate_apps("members")
def test_a_model_with_personal_fields_and_no_rule_fails_the_check():
    class VolunteerNote(models.Model):  # noqa: DJ008
        first_name = models.CharField(max_length=50)
        email = models.EmailField()

        class Meta:
            app_label = "members"

    errors = check_retention_rules(app_configs=[FakeAppConfig(VolunteerNote)])

    assert [error.id for error in errors] == ["privacy.E001"]
    assert errors[0].level == checks.ERROR
    assert "first_name" in errors[0].msg
    assert "email" in errors[0].msg


@isolate_apps("members")
def test_personal_data_is_found_by_field_type_name_and_link_to_a_person():
    from members.models import Person

    class Everything(models.Model):  # noqa: DJ008
        phone = models.CharField(max_length=20)
        date_of_birth = models.DateField()
        story = EncryptedTextField()
        upload = models.FileField()
        about = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
        harmless = models.CharField(max_length=20)

        class Meta:
            app_label = "members"

    assert personal_fields(Everything) == ["phone", "date_of_birth", "story", "upload", "about"]


@isolate_apps("members")
def test_a_model_without_personal_data_passes():
    class Venue(models.Model):  # noqa: DJ008
        title = models.CharField(max_length=50)

        class Meta:
            app_label = "members"

    assert check_retention_rules(app_configs=[FakeAppConfig(Venue)]) == []


@isolate_apps("members")
def test_an_exempted_model_passes_with_its_reason(monkeypatch):
    class Contact(models.Model):  # noqa: DJ008
        email = models.EmailField()

        class Meta:
            app_label = "members"

    monkeypatch.setitem(registry.EXEMPT, "members.Contact", "An organisation's address.")

    assert check_retention_rules(app_configs=[FakeAppConfig(Contact)]) == []


@pytest.mark.django_db
def test_every_model_in_the_project_has_a_rule_today():
    assert check_retention_rules() == []


def test_third_party_apps_are_not_ours_to_rule_on():
    from django.apps import apps

    from privacy.checks import is_project_app

    assert not is_project_app(apps.get_app_config("wagtailforms"))
    assert is_project_app(apps.get_app_config("members"))
