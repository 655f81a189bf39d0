"""InlineOptionsSelect: Django's select, written in one template, the same HTML."""

from django import forms
from django.test import SimpleTestCase

from cms.forms import InlineOptionsSelect

CHOICES = [
    ("", "---------"),
    (1, "Coast & Vale MNVP"),
    ("Group", [(2, 'North "Shore"'), (3, "<South>")]),
]


class InlineOptionsSelectTests(SimpleTestCase):
    def test_renders_the_same_html_as_djangos_select(self):
        cases = [
            ("nothing chosen", None, {}),
            ("a value chosen", 1, {"id": "id_mnvp", "class": "w-field"}),
            ("a value in a group chosen", "3", {"disabled": True, "data-x": False}),
        ]
        for label, value, attrs in cases:
            with self.subTest(label):
                expected = forms.Select(attrs=attrs, choices=CHOICES).render("partnership", value)
                actual = InlineOptionsSelect(attrs=attrs, choices=CHOICES).render("partnership", value)
                assert actual == expected
