"""Wagtail's admin API lists documents and images only to those who may choose them.

Wagtail answers /admin/api/main/documents/ (and images) to any admin login with every
item and its download address, whatever the user's collection permissions: a lead, a
case handler or a commissioner could list the library. cms/middleware.py closes it.
"""

from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(db):
    return {
        "documents": Document.objects.create(
            title="Board minutes", file=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4")
        ),
        "images": Image.objects.create(title="Team photo", file=get_test_image_file()),
    }


@pytest.mark.parametrize("endpoint", ["documents", "images"])
@pytest.mark.parametrize("user_fixture", ["north_lead", "north_commissioner", "case_handler", "dsl"])
def test_a_role_without_the_library_lists_nothing_through_the_api(
    client, request, library, endpoint, user_fixture
):
    client.force_login(request.getfixturevalue(user_fixture))
    item = library[endpoint]
    for url in (f"/admin/api/main/{endpoint}/", f"/admin/api/main/{endpoint}/{item.pk}/"):
        response = client.get(url)
        assert response.status_code == HTTPStatus.NOT_FOUND, url
        assert item.title.encode() not in response.content


@pytest.mark.parametrize("endpoint", ["documents", "images"])
def test_host_staff_still_list_the_library(client, host_staff, library, endpoint):
    client.force_login(host_staff)
    response = client.get(f"/admin/api/main/{endpoint}/")
    assert response.status_code == HTTPStatus.OK
    assert library[endpoint].title in response.content.decode()
