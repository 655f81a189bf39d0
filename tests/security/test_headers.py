"""Response headers: the Content Security Policy everywhere, no-store on admin and volunteer pages."""

from http import HTTPStatus

import pytest

from cms.settings import base


def directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


def test_every_response_carries_the_policy(client, db):
    policy = directives(client.get("/admin/login/"))
    assert policy["default-src"] == "default-src 'self'"
    assert policy["object-src"] == "object-src 'none'"
    assert policy["base-uri"] == "base-uri 'none'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert policy["form-action"] == "form-action 'self'"
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]


@pytest.mark.parametrize("url", ["/admin/login/", "/admin/", "/volunteer/"])
def test_admin_and_volunteer_pages_are_never_stored(client, host_staff, url):
    client.force_login(host_staff)
    response = client.get(url)
    assert "no-store" in response["Cache-Control"]


def test_public_pages_may_be_cached(client, db):
    response = client.get("/")
    assert "no-store" not in response.get("Cache-Control", "")


def test_passwords_are_hashed_with_argon2_outside_tests():
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert any("CommonPasswordValidator" in v["NAME"] for v in base.AUTH_PASSWORD_VALIDATORS)


def test_login_throttling_is_checked_first():
    assert base.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert base.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_the_login_page_answers(client, db):
    assert client.get("/admin/login/").status_code == HTTPStatus.OK


def test_only_wagtail_previews_may_be_framed_and_only_by_us(rf):
    from django.http import HttpResponse

    from security.middleware import SameOriginFramingMiddleware

    def preview(request):
        response = HttpResponse("preview")
        response["X-Frame-Options"] = "SAMEORIGIN"
        response["Content-Security-Policy"] = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'"
        return response

    def other(request):
        return HttpResponse("page")

    framed = SameOriginFramingMiddleware(preview)(rf.get("/admin/pages/3/edit/preview/"))
    assert framed["Content-Security-Policy"] == "default-src 'self'; frame-ancestors 'self'; base-uri 'none'"
    plain = SameOriginFramingMiddleware(other)(rf.get("/"))
    assert not hasattr(plain, "_csp_replace")


def test_date_pickers_start_without_an_inline_script(db):
    from wagtail.admin.widgets import AdminDateInput

    html = AdminDateInput().render("due", None, attrs={"id": "id_due"})
    assert "<script" not in html
    assert 'data-csp-init="date"' in html


def test_choosers_start_without_an_inline_script(db):
    from wagtail.admin.widgets import AdminPageChooser

    html = AdminPageChooser().render("page", None, attrs={"id": "id_page"})
    assert "<script" not in html
    assert 'data-csp-init="chooser"' in html
    assert 'data-csp-constructor="PageChooser"' in html


def test_the_workflow_task_chooser_starts_without_an_inline_script(db):
    from wagtail.admin.widgets.workflows import AdminTaskChooser

    html = AdminTaskChooser().render("task", None, attrs={"id": "id_task"})
    assert "<script" not in html
    assert 'data-csp-init="task-chooser" data-csp-target="id_task"' in html
