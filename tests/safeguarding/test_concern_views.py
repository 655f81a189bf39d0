"""Concern screens: the report form, the reporter's status-only list, and who reaches what.

Only DSLs list, search, export, inspect or act on concerns. Everyone else (the
reporter included, host staff without the DSL role, another MNVP's lead, the ICB
viewer, a case handler) is refused the listing and gets 404 for every concern URL.
"""

import re
from http import HTTPStatus
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

from cms.models import AccessLogEntry
from safeguarding.enums import ConcernCategory, ConcernStatus, EscalatedTo
from safeguarding.models import Concern
from safeguarding.services import concerns as services
from safeguarding.workflow import Step
from tests.factories import ConcernFactory
from tests.members.test_partnership_views import assert_denied, assert_refused

pytestmark = pytest.mark.django_db

NARRATIVE = "She said the baby is left alone at night"
NOT_DSLS = ["north_lead", "south_lead", "host_staff", "north_commissioner", "case_handler", "no_role_user"]


@pytest.fixture
def concern(north, north_lead):
    return services.report_concern(
        reporter=north_lead,
        partnership=north,
        about="child",
        what_happened=NARRATIVE,
        immediate_risk=True,
        who_described="Baby of Jo, bay 3",
    )


def report_data(partnership, **overrides):
    return {
        "partnership": partnership.pk,
        "kind": "concern",
        "about": "child",
        "what_happened": NARRATIVE,
        "immediate_risk": "no",
        **overrides,
    }


def assert_not_found(response):
    assert response.status_code == HTTPStatus.NOT_FOUND


def log(action, **filters):
    return AccessLogEntry.objects.filter(action=action, content_type__model="concern", **filters)


# Reporting --------------------------------------------------------------------------------


def test_the_report_form_asks_in_plain_words(client, north, north_lead):
    client.force_login(north_lead)
    response = client.get(reverse("concern_reports:report"))
    assert response.status_code == HTTPStatus.OK
    assert b"Is anyone at immediate risk?" in response.content
    assert b"call 999" in response.content


def test_a_lead_reports_and_then_sees_thanks_and_status_only(client, north, north_lead, dsl):
    client.force_login(north_lead)
    response = client.post(reverse("concern_reports:report"), report_data(north), follow=True)
    assert response.status_code == HTTPStatus.OK
    concern = Concern.objects.get()
    assert concern.reported_by == north_lead
    assert concern.immediate_risk is False
    assert b"Thank you" in response.content
    assert f"#{concern.pk}".encode() in response.content
    assert b"Received" in response.content
    assert NARRATIVE.encode() not in response.content

    # The DSL works on it: the reporter sees that it is being dealt with, and no more.
    services.acknowledge_concern(concern=concern, acting_user=dsl, note="DSL note: known to social care")
    services.triage_concern(concern=concern, acting_user=dsl, categories=[ConcernCategory.NEGLECT])
    services.record_escalation(concern=concern, acting_user=dsl, to=EscalatedTo.POLICE, reference="PX-1")
    response = client.get(reverse("concern_reports:mine"))
    content = response.content.decode()
    assert "a safeguarding lead is dealing with it" in content
    for secret in (NARRATIVE, "known to social care", "Police", "PX-1", "Neglect", "Escalated"):
        assert secret not in content


def test_the_reporters_list_holds_only_their_own_reports(client, north, south, north_lead, south_lead):
    mine = ConcernFactory(partnership=north, reported_by=north_lead)
    theirs = ConcernFactory(partnership=south, reported_by=south_lead)
    client.force_login(north_lead)
    response = client.get(reverse("concern_reports:mine"))
    assert [r["pk"] for r in response.context["reports"]] == [mine.pk]
    assert f"#{theirs.pk}" not in response.content.decode()


def test_a_missing_answer_is_asked_again_and_nothing_is_saved(client, north, north_lead):
    client.force_login(north_lead)
    response = client.post(reverse("concern_reports:report"), report_data(north, what_happened=""))
    assert response.status_code == HTTPStatus.OK
    assert "what_happened" in response.context["form"].errors
    assert not Concern.objects.exists()


def test_a_lead_cannot_report_for_another_mnvp(client, north, south, north_lead):
    client.force_login(north_lead)
    response = client.post(reverse("concern_reports:report"), report_data(south))
    assert "partnership" in response.context["form"].errors
    assert not Concern.objects.exists()


def test_a_lead_with_one_mnvp_is_not_asked_which(client, north, north_lead):
    client.force_login(north_lead)
    response = client.get(reverse("concern_reports:report"))
    assert response.context["form"].fields["partnership"].widget.is_hidden


def test_the_icb_viewer_may_not_report(client, north, north_commissioner):
    client.force_login(north_commissioner)
    assert_denied(client.get(reverse("concern_reports:report")))


# Who sees concerns ---------------------------------------------------------------------------


@pytest.mark.parametrize("user", NOT_DSLS)
def test_nobody_but_a_dsl_lists_searches_or_exports_concerns(client, request, concern, user):
    client.force_login(request.getfixturevalue(user))
    for query in ("", "?q=bay", f"?q={concern.pk}", "?export=csv", "?export=xlsx", "?status=received"):
        for name in ("concerns:index", "concerns:index_results"):
            response = client.get(reverse(name) + query)
            assert_refused(response)
            assert NARRATIVE.encode() not in response.content
    assert not log("export").exists()
    assert not log("search").exists()


@pytest.mark.parametrize("user", NOT_DSLS)
def test_nobody_but_a_dsl_reaches_a_concern_url(client, request, concern, user):
    """404 for every object URL, including the reporter's own concern (no admin login: to log in)."""
    client.force_login(request.getfixturevalue(user))
    check = assert_refused if user == "no_role_user" else assert_not_found
    for name in ["inspect", *Step]:
        url = reverse(f"concerns:{name}", args=[concern.pk])
        check(client.get(url))
        check(client.post(url, {"note": "x", "categories": ["other"]}))
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.RECEIVED
    assert not log("view").exists()


@pytest.mark.parametrize("name", ["edit", "delete", "history", "usage", "add", "copy"])
def test_the_generic_edit_and_delete_views_do_not_exist(client, concern, dsl, name):
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        reverse(f"concerns:{name}", args=[concern.pk])
    client.force_login(dsl)
    assert client.get(f"/admin/concerns/{name}/{concern.pk}/").status_code == 404


def test_the_menu_shows_concerns_to_dsls_and_the_report_form_to_reporters(client, concern, dsl, north_lead):
    client.force_login(north_lead)
    content = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("concern_reports:report") in content
    assert reverse("concerns:index") not in content
    client.force_login(dsl)
    assert reverse("concerns:index") in client.get(reverse("wagtailadmin_home")).content.decode()


def test_a_dsl_lists_every_mnvps_concerns_with_filters(
    client, north, south, dsl, django_assert_max_num_queries
):
    urgent = ConcernFactory(partnership=north, immediate_risk=True)
    ConcernFactory.create_batch(3, partnership=south)
    client.force_login(dsl)
    # 22: one of them loads the session's verified two-factor device (django-otp).
    with django_assert_max_num_queries(22):
        response = client.get(reverse("concerns:index"))
    assert response.status_code == HTTPStatus.OK
    assert len(response.context["object_list"]) == 4
    assert NARRATIVE.encode() not in response.content
    response = client.get(reverse("concerns:index"), {"partnership": north.pk, "immediate_risk": "true"})
    assert [c.pk for c in response.context["object_list"]] == [urgent.pk]
    services.acknowledge_concern(concern=urgent, acting_user=dsl)
    response = client.get(reverse("concerns:index"), {"unacknowledged": "true"})
    assert urgent.pk not in [c.pk for c in response.context["object_list"]]
    assert len(response.context["object_list"]) == 3


def test_the_listing_costs_the_same_for_many_concerns(client, north, dsl, django_assert_max_num_queries):
    ConcernFactory.create_batch(30, partnership=north)
    client.force_login(dsl)
    with django_assert_max_num_queries(22):  # as above
        assert client.get(reverse("concerns:index")).status_code == HTTPStatus.OK


def test_a_dsl_search_finds_references_not_narratives(client, concern, dsl):
    services.acknowledge_concern(concern=concern, acting_user=dsl)
    services.record_escalation(concern=concern, acting_user=dsl, to=EscalatedTo.TRUST, reference="TR-5521")
    client.force_login(dsl)
    found = client.get(reverse("concerns:index"), {"q": "TR-5521"}).context["object_list"]
    assert [c.pk for c in found] == [concern.pk]
    assert [
        c.pk for c in client.get(reverse("concerns:index"), {"q": f"#{concern.pk}"}).context["object_list"]
    ]
    # The narrative is ciphertext in the database: searching it finds nothing, by design.
    assert not client.get(reverse("concerns:index"), {"q": "baby"}).context["object_list"]
    entries = log("search", user=dsl)
    assert entries.count() == 3
    assert "TR-5521" not in " ".join(entries.values_list("detail", flat=True))


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_a_dsl_exports_and_the_export_is_logged(client, concern, dsl, export_format):
    client.force_login(dsl)
    response = client.get(reverse("concerns:index"), {"export": export_format})
    assert response.status_code == HTTPStatus.OK
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if export_format == "csv":
        text = body.decode()
        assert "Reference" in text
        assert str(concern.pk) in text
        assert NARRATIVE not in text
        assert "bay 3" not in text
    entry = log("export", user=dsl).get()
    assert entry.detail.startswith(export_format)


def test_a_dsl_without_the_export_permission_cannot_export(client, concern, dsl):
    from django.contrib.auth.models import Permission

    dsl.user_permissions.add(Permission.objects.get(codename="view_concern"))
    dsl.groups.clear()
    dsl.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(dsl)
    assert client.get(reverse("concerns:index")).status_code == HTTPStatus.OK
    assert_denied(client.get(reverse("concerns:index"), {"export": "csv"}))
    assert not log("export").exists()


def test_the_inspect_page_shows_everything_and_logs_the_read(client, concern, dsl):
    services.acknowledge_concern(concern=concern, acting_user=dsl, note="Checked with the ward")
    services.record_escalation(concern=concern, acting_user=dsl, to=EscalatedTo.POLICE, reference="PX-77")
    client.force_login(dsl)
    response = client.get(reverse("concerns:inspect", args=[concern.pk]))
    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    for text in (NARRATIVE, "Baby of Jo, bay 3", "Checked with the ward", "PX-77", "Police"):
        assert text in content
    assert log("view", user=dsl, object_id=str(concern.pk), detail="inspect").count() == 1
    # Buttons for the steps allowed now, none for the rest.
    assert reverse("concerns:triage", args=[concern.pk]) in content
    assert reverse("concerns:acknowledge", args=[concern.pk]) not in content


def test_the_inspect_page_answers_yes_or_no_not_true_or_false(client, concern, dsl):
    client.force_login(dsl)
    content = client.get(reverse("concerns:inspect", args=[concern.pk])).content.decode()
    assert re.search(r"<dt>Is anyone at immediate risk\?</dt>\s*<dd>\s*Yes\s*</dd>", content)
    assert re.search(r"<dt>Debrief offered to the reporter</dt>\s*<dd>\s*No\s*</dd>", content)
    assert not re.search(r"<dd>\s*(True|False)\s*</dd>", content)


def test_the_step_buttons_stack_full_width_on_a_phone_from_our_own_stylesheet(client, concern, dsl):
    client.force_login(dsl)
    content = client.get(reverse("concerns:inspect", args=[concern.pk])).content.decode()
    assert f'<link rel="stylesheet" href="{static("safeguarding/steps.css")}">' in content
    assert '<p class="sg-steps">' in content
    assert "style=" not in content.split('<p class="sg-steps">')[1].split("</p>")[0]
    css = Path(finders.find("safeguarding/steps.css")).read_text()
    phone = css.split("@media (max-width: 37.5em)")[1]
    assert "flex-direction: column" in phone
    assert "width: 100%" in phone


# A DSL walks a concern through the screens ----------------------------------------------------


def test_a_dsl_walks_a_concern_to_closure_through_the_screens(client, concern, dsl):
    client.force_login(dsl)

    def post(step, data):
        response = client.post(reverse(f"concerns:{step}", args=[concern.pk]), data)
        assert response.status_code == HTTPStatus.FOUND, response.context and response.context["form"].errors
        assert response["Location"] == reverse("concerns:inspect", args=[concern.pk])

    assert client.get(reverse("concerns:acknowledge", args=[concern.pk])).status_code == HTTPStatus.OK
    post("acknowledge", {"note": ""})
    post("triage", {"categories": ["neglect", "other"]})
    post("add_entry", {"text": "Home visit arranged"})
    post(
        "escalate",
        {
            "to": "local_authority",
            "contact": "Duty social worker",
            "reference": "LA-9",
            "at": "2026-01-05 10:00",
        },
    )
    post("debrief", {"notes": "Offered by phone"})
    post("outcome", {"outcome": "Family supported by early help"})
    post("close", {"note": ""})

    concern.refresh_from_db()
    assert concern.status == ConcernStatus.CLOSED
    assert concern.escalations.get().reference == "LA-9"
    changes = log("change", user=dsl, object_id=str(concern.pk)).count()
    views = log("view", user=dsl, object_id=str(concern.pk)).count()
    assert changes == 7
    assert views == 8  # each step's POST, and the GET of the acknowledge form


def test_a_step_its_status_does_not_allow_is_refused_with_a_message(client, concern, dsl):
    client.force_login(dsl)
    response = client.get(reverse("concerns:close", args=[concern.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("concerns:inspect", args=[concern.pk])
    assert "Only a triaged or escalated concern can be closed." in response.content.decode()
    response = client.post(reverse("concerns:triage", args=[concern.pk]), {"categories": ["other"]})
    assert response.status_code == HTTPStatus.OK
    assert "Only an open, acknowledged concern can be triaged." in response.content.decode()
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.RECEIVED
