"""Every "edit" link Wagtail builds for a record (usage listings, history, search) leads to a real view."""

from django.apps import apps
from django.urls import NoReverseMatch, get_resolver, reverse
from wagtail.admin.admin_url_finder import finder_classes

OUR_APPS = ("cms", "members", "workplans", "safeguarding", "home", "privacy", "volunteers", "security")


def registered_finders():
    assert get_resolver().url_patterns  # the admin's viewsets register their finders as its URLs load
    for model in apps.get_models():
        if model._meta.app_label in OUR_APPS:
            finder = finder_classes.get_by_type(model)
            if finder is not None and getattr(finder, "edit_url_name", None):
                yield model, finder


def test_every_models_edit_link_reverses():
    finders = list(registered_finders())
    assert len(finders) > 20
    broken = []
    for model, finder in finders:
        try:
            reverse(finder.edit_url_name, args=[1])
        except NoReverseMatch:
            broken.append(f"{model.__name__}: {finder.edit_url_name}")
    assert not broken, broken


def test_a_concerns_edit_link_is_its_page():
    from safeguarding.models import Concern

    list(registered_finders())
    assert finder_classes.get_by_type(Concern).edit_url_name == "concerns:inspect"
