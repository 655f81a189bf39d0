"""Date inputs in the admin forms show their value in the ISO form browsers read (yyyy-mm-dd)."""

import datetime
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from members.admin_forms import AcceptApplicationForm
from members.enums import ApplicationStage as S
from tests.factories import ApplicationFactory


def test_accept_form_renders_its_initial_start_date_as_iso():
    html = str(AcceptApplicationForm()["start_date"])
    assert 'type="date"' in html
    assert f'value="{timezone.localdate().isoformat()}"' in html


def test_accept_form_reshows_a_bound_end_date_as_iso():
    form = AcceptApplicationForm(initial={"end_date": datetime.date(2027, 3, 31)})
    assert 'value="2027-03-31"' in str(form["end_date"])


@pytest.mark.django_db
def test_accept_page_prefills_the_start_date_for_chromium(client, host_staff, north):
    application = ApplicationFactory(partnership=north, stage=S.INDUCTION)
    client.force_login(host_staff)
    response = client.get(reverse("applications:accept", args=[application.pk]))
    assert response.status_code == HTTPStatus.OK
    today = timezone.localdate()
    page = response.content.decode()
    assert f'value="{today.isoformat()}"' in page
    assert today.strftime("%d/%m/%Y") not in page
