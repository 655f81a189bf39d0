"""Model fields shared by the members app."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

UK_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")


def normalise_postcode(value: str) -> str:
    """Upper-case with one space before the inward code: ``"ns1 2ab"`` -> ``"NS1 2AB"``."""
    compact = re.sub(r"\s+", "", value or "").upper()
    match = UK_POSTCODE.match(compact)
    if not match:
        raise ValidationError("Enter a UK postcode, like NS1 2AB.", code="invalid_postcode")
    return f"{match.group(1)} {match.group(2)}"


def postcode_district(postcode: str) -> str:
    """The outward code (``NS1``): enough for statistics, not enough to find a home."""
    return (postcode or "").split(" ")[0]


class PostcodeField(models.CharField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 8)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_postcode(value) if value else value


class ChoicesListField(models.JSONField):
    """A list of values from ``choices``, stored as JSON (works on SQLite and PostgreSQL)."""

    def __init__(self, *args, item_choices=None, **kwargs):
        self.item_choices = item_choices
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["item_choices"] = self.item_choices
        return name, path, args, kwargs

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        allowed = {key for key, _label in self.item_choices or []}
        if not isinstance(value, list) or any(item not in allowed for item in value):
            raise ValidationError("Choose from the options given.", code="invalid_choice")

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=self.item_choices,
            required=not self.blank,
            label=kwargs.get("label", self.verbose_name.capitalize()),
            help_text=self.help_text,
            widget=forms.CheckboxSelectMultiple,
        )

    def labels(self, value) -> list[str]:
        names = dict(self.item_choices or [])
        return [str(names.get(item, item)) for item in value or []]
