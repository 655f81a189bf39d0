"""A simple form page: editors build it from fields; visitors' answers are kept, errors are clear."""

from http import HTTPStatus

import pytest
from wagtail.contrib.forms.models import FormSubmission

from home.form_pages import FormField, FormPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def form_page(site):
    page = FormPage(title="Tell us about the open day", slug="open-day", thank_you_text="<p>Thanks!</p>")
    site.add_child(instance=page)
    FormField.objects.create(page=page, sort_order=0, label="Your name", field_type="singleline")
    FormField.objects.create(page=page, sort_order=1, label="Email", field_type="email", required=True)
    page.save_revision().publish()
    return page


def test_the_form_is_shown_with_its_labelled_fields(client, form_page):
    response = client.get(form_page.url)
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert '<label for="id_your_name"' in html
    assert '<label for="id_email"' in html


def test_answers_are_kept_and_thanked(client, form_page):
    response = client.post(form_page.url, {"your_name": "Amina", "email": "amina@example.org"})
    assert response.status_code == HTTPStatus.OK
    assert b"Thanks!" in response.content
    (submission,) = FormSubmission.objects.filter(page=form_page)
    assert submission.get_data()["email"] == "amina@example.org"


def test_a_wrong_answer_is_explained_and_nothing_is_kept(client, form_page):
    response = client.post(form_page.url, {"your_name": "Amina", "email": "not an email"})
    html = response.content.decode()
    assert 'role="alert"' in html
    assert 'href="#id_email"' in html
    assert not FormSubmission.objects.exists()


def test_editors_may_add_one_under_the_home_page(site):
    assert FormPage in site.specific_class.allowed_subpage_models()
