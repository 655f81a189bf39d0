"""The pipeline's admin actions: move, accept, move several. Scoped and all-or-nothing."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from members.enums import ApplicationStage as S
from members.models import Application, Membership
from tests.factories import ApplicationFactory
from tests.members.test_partnership_views import assert_denied, assert_refused

pytestmark = pytest.mark.django_db


def test_host_staff_move_an_application_and_the_history_shows_it(client, host_staff, north):
    application = ApplicationFactory(partnership=north, stage=S.NEW)
    client.force_login(host_staff)
    response = client.post(
        reverse("applications:move", args=[application.pk]), {"to_stage": S.CONTACTED, "note": "Rang her"}
    )
    assert response.status_code == HTTPStatus.FOUND
    application.refresh_from_db()
    assert application.stage == S.CONTACTED
    page = client.get(reverse("applications:inspect", args=[application.pk])).content.decode()
    assert "Rang her" in page
    assert "New → Contacted" in page


def test_move_form_offers_only_allowed_stages(client, host_staff, north):
    application = ApplicationFactory(partnership=north, stage=S.NEW)
    client.force_login(host_staff)
    form = client.get(reverse("applications:move", args=[application.pk])).context["form"]
    assert [value for value, _ in form.fields["to_stage"].choices] == [S.CONTACTED, S.DECLINED, S.WITHDRAWN]


def test_declining_without_a_reason_shows_the_message_and_changes_nothing(client, host_staff, north):
    application = ApplicationFactory(partnership=north, stage=S.CONTACTED)
    client.force_login(host_staff)
    response = client.post(reverse("applications:move", args=[application.pk]), {"to_stage": S.DECLINED})
    assert response.status_code == HTTPStatus.OK
    assert "Give a reason when declining" in response.content.decode()
    application.refresh_from_db()
    assert application.stage == S.CONTACTED


def test_lead_moves_their_own_mnvps_application_but_404s_on_anothers(client, north, south, north_lead):
    own = ApplicationFactory(partnership=north, stage=S.NEW)
    other = ApplicationFactory(partnership=south, stage=S.NEW)
    client.force_login(north_lead)
    assert (
        client.post(reverse("applications:move", args=[own.pk]), {"to_stage": S.CONTACTED}).status_code == 302
    )
    for name in ("move", "accept"):
        assert (
            client.get(reverse(f"applications:{name}", args=[other.pk])).status_code == HTTPStatus.NOT_FOUND
        )
    assert (
        client.post(reverse("applications:move", args=[other.pk]), {"to_stage": S.CONTACTED}).status_code
        == 404
    )
    other.refresh_from_db()
    assert other.stage == S.NEW


@pytest.mark.parametrize("fixture", ["north_commissioner", "dsl", "case_handler"])
def test_roles_without_recruitment_rights_cannot_act(client, request, north, fixture):
    application = ApplicationFactory(partnership=north, stage=S.INDUCTION)
    client.force_login(request.getfixturevalue(fixture))
    for name in ("move", "accept"):
        assert_refused(client.get(reverse(f"applications:{name}", args=[application.pk])))
    assert_denied(client.get(reverse("applications:bulk_move")))


def test_accepting_through_the_admin_creates_the_membership(client, host_staff, north):
    application = ApplicationFactory(partnership=north, stage=S.INDUCTION)
    client.force_login(host_staff)
    response = client.post(
        reverse("applications:accept", args=[application.pk]),
        {"role": "neonatal_lead", "ppv_category": "C", "start_date": "2026-06-01", "end_date": ""},
    )
    assert response.status_code == HTTPStatus.FOUND
    membership = Membership.objects.get()
    assert (membership.role, membership.ppv_category, str(membership.start_date)) == (
        "neonatal_lead",
        "C",
        "2026-06-01",
    )


def test_accepting_too_early_is_refused_with_a_clear_message(client, host_staff, north):
    application = ApplicationFactory(partnership=north, stage=S.CONVERSATION)
    client.force_login(host_staff)
    response = client.post(
        reverse("applications:accept", args=[application.pk]),
        {"role": "volunteer", "ppv_category": "B", "start_date": "2026-06-01"},
    )
    assert response.status_code == HTTPStatus.OK
    assert "cannot move" in response.content.decode()
    assert not Membership.objects.exists()


def test_bulk_move_moves_the_chosen_applications_of_the_filtered_list(client, host_staff, north, south):
    chosen = ApplicationFactory.create_batch(2, partnership=north, stage=S.NEW)
    left = ApplicationFactory(partnership=north, stage=S.NEW)
    client.force_login(host_staff)
    url = reverse("applications:bulk_move") + f"?partnership={north.pk}&stage=new"
    response = client.post(
        url, {"applications": [a.pk for a in chosen], "to_stage": S.CONTACTED, "note": "Welcome call"}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert set(Application.objects.filter(stage=S.CONTACTED).values_list("pk", flat=True)) == {
        a.pk for a in chosen
    }
    left.refresh_from_db()
    assert left.stage == S.NEW


def test_bulk_move_never_offers_or_moves_another_mnvps_applications(client, north_lead, north, south):
    own = ApplicationFactory(partnership=north, stage=S.NEW)
    other = ApplicationFactory(partnership=south, stage=S.NEW)
    client.force_login(north_lead)
    form = client.get(reverse("applications:bulk_move")).context["form"]
    assert list(form.fields["applications"].queryset) == [own]
    response = client.post(
        reverse("applications:bulk_move"), {"applications": [own.pk, other.pk], "to_stage": S.CONTACTED}
    )
    assert response.status_code == HTTPStatus.OK  # the form refuses the unknown choice
    other.refresh_from_db()
    own.refresh_from_db()
    assert (own.stage, other.stage) == (S.NEW, S.NEW)


def test_bulk_move_is_all_or_nothing(client, host_staff, north):
    new = ApplicationFactory(partnership=north, stage=S.NEW)
    contacted = ApplicationFactory(partnership=north, stage=S.CONTACTED)
    client.force_login(host_staff)
    response = client.post(
        reverse("applications:bulk_move"),
        {"applications": [new.pk, contacted.pk], "to_stage": S.CONVERSATION},
    )
    assert response.status_code == HTTPStatus.OK
    new.refresh_from_db()
    contacted.refresh_from_db()
    assert (new.stage, contacted.stage) == (S.NEW, S.CONTACTED)


def test_overdue_filter_and_flag(client, host_staff, north):
    from datetime import timedelta

    from django.utils import timezone

    stale = ApplicationFactory(
        partnership=north, stage=S.CONTACTED, stage_changed_at=timezone.now() - timedelta(days=30)
    )
    fresh = ApplicationFactory(partnership=north, stage=S.CONTACTED)
    client.force_login(host_staff)
    response = client.get(reverse("applications:index"), {"overdue": "true"})
    assert list(response.context["object_list"]) == [stale]
    assert "30 days — overdue" in response.content.decode()
    assert fresh not in client.get(reverse("applications:index"), {"overdue": "true"}).context["object_list"]
