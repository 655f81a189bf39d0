"""privacy.E001: every model of ours that holds personal data has a retention rule.

A model holds personal data when it has an email field, a field named like a name,
phone number, postcode, date of birth or address, encrypted text, an uploaded file,
or a foreign key to a person. It passes when a record type in
:mod:`privacy.registry` acts on or covers it, or when ``EXEMPT`` says why not.
Third-party apps (Wagtail, Django, libraries) are not ours to rule on and are skipped.
"""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.db import models

PERSONAL_FIELD_NAMES = {
    "first_name",
    "last_name",
    "full_name",
    "name_of_person",
    "phone",
    "mobile",
    "telephone",
    "postcode",
    "date_of_birth",
    "dob",
    "address",
    "home_address",
}


def personal_fields(model) -> list[str]:
    """Names of the fields that make ``model`` hold personal data (empty if none)."""
    from cms.encryption import EncryptedTextField

    found = []
    for field in model._meta.get_fields():
        if not getattr(field, "concrete", False):
            continue
        if (
            isinstance(field, models.EmailField | EncryptedTextField | models.FileField)
            or field.name in PERSONAL_FIELD_NAMES
            or (field.is_relation and field.related_model is not None and _is_person(field.related_model))
        ):
            found.append(field.name)
    return found


def _is_person(model) -> bool:
    return model._meta.label == "members.Person"


def is_project_app(app_config) -> bool:
    path = Path(app_config.path).resolve()
    base = Path(settings.BASE_DIR).resolve()
    return base in path.parents and "site-packages" not in path.parts


def models_to_check(app_configs=None):
    configs = app_configs if app_configs is not None else apps.get_app_configs()
    for app_config in configs:
        if not is_project_app(app_config):
            continue
        for model in app_config.get_models():
            if not (model._meta.abstract or model._meta.proxy):
                yield model


@checks.register(checks.Tags.models)
def check_retention_rules(app_configs=None, **kwargs):
    from .registry import EXEMPT, covered_models

    covered = covered_models()
    errors = []
    for model in models_to_check(app_configs):
        label = model._meta.label
        if label in covered or label in EXEMPT:
            continue
        fields = personal_fields(model)
        if fields:
            errors.append(
                checks.Error(
                    f"{label} holds personal data ({', '.join(fields)}) but has no retention rule.",
                    hint="Add a RecordType for it to privacy/registry.py (or name it in the `covers` of "
                    "one), or add it to privacy.registry.EXEMPT with the reason it is kept.",
                    obj=model,
                    id="privacy.E001",
                )
            )
    return errors
