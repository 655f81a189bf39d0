"""Report screens: who may open them, what each role sees, and the query budget."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from members.enums import ApplicationStage
from members.funnel_cache import forget_funnels
from members.models import ReferencePopulation
from tests.factories import ApplicationFactory, EqualityMonitoringFactory, MembershipFactory, PersonFactory
from tests.members.test_partnership_views import assert_refused

pytestmark = pytest.mark.django_db

FUNNEL = "members_reports:recruitment_funnel"
EQUALITY = "members_reports:equality"


@pytest.fixture
def applications(north, south):
    ApplicationFactory.create_batch(2, partnership=north, stage=ApplicationStage.CHECKS)
    ApplicationFactory.create_batch(7, partnership=south, stage=ApplicationStage.INDUCTION)


@pytest.fixture
def members(north, south):
    for partnership, count in ((north, 6), (south, 9)):
        for _ in range(count):
            person = PersonFactory()
            MembershipFactory(person=person, partnership=partnership)
            EqualityMonitoringFactory(person=person, disability="no")


def get(client, user, name, **params):
    client.force_login(user)
    return client.get(reverse(name), params)


@pytest.mark.parametrize("name", [FUNNEL, f"{FUNNEL}_results"])
def test_host_staff_see_the_funnel_of_every_mnvp(client, host_staff, applications, name):
    response = get(client, host_staff, name)
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Northshire MNVP" in page
    assert "Southvale MNVP" in page
    assert "All MNVPs" in page


@pytest.mark.parametrize("name", [FUNNEL, f"{FUNNEL}_results"])
def test_lead_sees_only_their_mnvps_funnel(client, north_lead, applications, name):
    response = get(client, north_lead, name)
    assert response.status_code == HTTPStatus.OK
    report = response.context["report"]
    assert [funnel.name for funnel in report.funnels] == ["Northshire MNVP"]
    assert report.total.total == 2
    assert "Southvale" not in response.content.decode()


@pytest.mark.parametrize("name", [FUNNEL, f"{FUNNEL}_results"])
def test_lead_asking_for_another_mnvp_gets_none_of_its_data(client, north_lead, south, applications, name):
    response = get(client, north_lead, name, partnership=south.pk)
    assert response.status_code == HTTPStatus.OK
    assert response.context["report"] is None
    page = response.content.decode()
    assert "Southvale" not in page
    assert "Induction</th>" not in page  # no table of anyone's figures
    assert "not one of yours" in page


def test_lead_export_of_another_mnvp_is_empty(client, north_lead, south, applications):
    response = get(client, north_lead, FUNNEL, partnership=south.pk, export="csv")
    text = b"".join(response.streaming_content).decode()
    assert text.splitlines()[1:] == []


def test_funnel_export_holds_the_table(client, north_lead, north, applications):
    response = get(client, north_lead, FUNNEL, export="csv")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("MNVP,Stage,In stage now")
    assert "Northshire MNVP,Checks (such as DBS),2,2,0.0,0.0" in lines
    assert not any("Southvale" in line for line in lines)


def test_host_staff_filter_the_funnel_to_one_mnvp(client, host_staff, south, applications):
    report = get(client, host_staff, FUNNEL, partnership=south.pk).context["report"]
    assert [funnel.name for funnel in report.funnels] == ["Southvale MNVP"]


@pytest.mark.parametrize("fixture", ["no_role_user", "north_commissioner", "dsl", "case_handler"])
@pytest.mark.parametrize("name", [FUNNEL, f"{FUNNEL}_results", EQUALITY, f"{EQUALITY}_results"])
def test_roles_without_the_permission_are_refused(client, request, applications, members, fixture, name):
    assert_refused(get(client, request.getfixturevalue(fixture), name))


@pytest.mark.parametrize("name", [EQUALITY, f"{EQUALITY}_results"])
def test_leads_are_refused_the_equality_report(client, north_lead, members, name):
    assert_refused(get(client, north_lead, name))


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(reverse(FUNNEL))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


@pytest.mark.parametrize("name", [EQUALITY, f"{EQUALITY}_results"])
def test_host_staff_see_the_equality_report_with_small_numbers_hidden(
    client, host_staff, north, members, name
):
    ReferencePopulation.objects.create(
        question="disability", category="no", percentage="82.70", source="Census"
    )
    response = get(client, host_staff, name, partnership=north.pk)
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "fewer than 5" in page
    assert "82.70%" in page
    assert response.context["report"].total == 6


def test_equality_report_is_not_exported(client, host_staff, members):
    response = get(client, host_staff, EQUALITY, export="csv")
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/html")


def test_report_menu_shows_each_report_to_those_who_may_open_it(client, host_staff, north_lead):
    home = reverse("wagtailadmin_home")
    client.force_login(host_staff)
    page = client.get(home).content.decode()
    assert reverse(FUNNEL) in page
    assert reverse(EQUALITY) in page
    client.force_login(north_lead)
    page = client.get(home).content.decode()
    assert reverse(FUNNEL) in page
    assert reverse(EQUALITY) not in page


def test_pages_have_no_inline_styles_or_scripts(client, host_staff, applications, members):
    for name in (f"{FUNNEL}_results", f"{EQUALITY}_results"):
        page = get(client, host_staff, name).content.decode()
        assert "style=" not in page
        assert "<script" not in page


@pytest.mark.parametrize("name", [FUNNEL, EQUALITY])
def test_report_query_count_does_not_grow_with_the_data(
    client, host_staff, north, south, name, django_assert_max_num_queries
):
    def add(count):
        for partnership in (north, south):
            for _ in range(count):
                person = PersonFactory()
                ApplicationFactory(person=person, partnership=partnership)
                MembershipFactory(person=person, partnership=partnership)
                EqualityMonitoringFactory(person=person, religion="none")

    client.force_login(host_staff)
    add(2)
    client.get(reverse(name))  # warm caches (site, settings, menus)
    forget_funnels()  # each measured view works the funnel out (not the hour's kept one)
    with django_assert_max_num_queries(30) as small:
        client.get(reverse(name))
    add(25)
    forget_funnels()
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse(name)).status_code == HTTPStatus.OK


def test_host_staff_manage_reference_figures_and_others_are_refused(client, host_staff, north_lead, north):
    figure = ReferencePopulation.objects.create(question="age_band", category="25_34", percentage="13.50")
    client.force_login(host_staff)
    assert client.get(reverse("reference_population:index")).status_code == HTTPStatus.OK
    assert client.get(reverse("reference_population:edit", args=[figure.pk])).status_code == HTTPStatus.OK
    client.force_login(north_lead)
    assert_refused(client.get(reverse("reference_population:index")))
    assert_refused(client.get(reverse("reference_population:edit", args=[figure.pk])))
