"""The import screens and the export permission, for every role."""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.enums import ImportKind, ImportStatus
from members.models import ImportJob, Membership, Person
from tests.factories import MembershipFactory, UserFactory, lead_of
from tests.members.test_partnership_views import assert_denied, assert_refused

PEOPLE_CSV = b"First name,Last name,Email\nAsha,Patel,asha@example.org\n"
MEMBERSHIPS_CSV = (
    b"Email,First name,Last name,MNVP,Role\nasha@example.org,Asha,Patel,Northshire MNVP,Volunteer\n"
)


def upload(client, namespace, content, name="file.csv"):
    return client.post(reverse(f"{namespace}:import"), {"file": SimpleUploadedFile(name, content)})


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.mark.django_db
class TestImportScreens:
    @pytest.mark.parametrize(
        ("fixture", "namespace", "allowed"),
        [
            ("host_staff", "people", True),
            ("host_staff", "memberships", True),
            ("north_lead", "people", False),
            ("north_lead", "memberships", True),
            ("north_commissioner", "memberships", False),
            ("dsl", "people", False),
            ("no_role_user", "memberships", False),
        ],
    )
    def test_who_may_open_the_upload_page(self, client, request, north, fixture, namespace, allowed):
        client.force_login(request.getfixturevalue(fixture))
        response = client.get(reverse(f"{namespace}:import"))
        if allowed:
            assert response.status_code == HTTPStatus.OK
            assert "Email" in response.content.decode()
        else:
            assert_denied(response)

    def test_anonymous_visitors_are_sent_to_log_in(self, client):
        assert_denied(client.get(reverse("people:import")))

    def test_upload_check_and_confirm(self, client, north, host_staff, on_commit):
        client.force_login(host_staff)
        with on_commit():
            response = upload(client, "people", PEOPLE_CSV)
        job = ImportJob.objects.get()
        assert response["Location"] == reverse("people:import_job", args=[job.pk])

        page = client.get(response["Location"])
        assert "All 1 rows checked" in page.content.decode()
        with on_commit():
            client.post(response["Location"])
        assert Person.objects.filter(email="asha@example.org").exists()
        assert "Imported 1 rows" in client.get(response["Location"]).content.decode()

    def test_problems_are_listed_by_row_and_column(self, client, north, host_staff, on_commit):
        client.force_login(host_staff)
        with on_commit():
            response = upload(client, "people", b"First name,Last name,Email\n,Patel,nope\n")
        page = client.get(response["Location"]).content.decode()
        assert "First name cannot be empty." in page
        assert "is not an email address" in page
        assert "nothing has been changed" in page

    def test_a_wrong_kind_of_file_is_refused_on_the_form(self, client, host_staff):
        client.force_login(host_staff)
        response = upload(client, "people", b"hello", name="notes.txt")
        assert response.status_code == HTTPStatus.OK
        assert "Upload a .csv or .xlsx file" in response.content.decode()
        assert not ImportJob.objects.exists()

    def test_a_job_is_seen_only_by_its_uploader(self, client, north, north_lead, on_commit):
        with on_commit():
            client.force_login(north_lead)
            upload(client, "memberships", MEMBERSHIPS_CSV)
        job = ImportJob.objects.get()
        client.force_login(lead_of(north, username="north.lead.2"))
        assert (
            client.get(reverse("memberships:import_job", args=[job.pk])).status_code == HTTPStatus.NOT_FOUND
        )
        assert (
            client.post(reverse("memberships:import_job", args=[job.pk])).status_code == HTTPStatus.NOT_FOUND
        )
        job.refresh_from_db()
        assert job.status == ImportStatus.CHECKED
        assert not Membership.objects.exists()

    def test_a_job_is_found_only_under_its_own_kind(self, client, north, host_staff, on_commit):
        client.force_login(host_staff)
        with on_commit():
            upload(client, "people", PEOPLE_CSV)
        job = ImportJob.objects.get(kind=ImportKind.PEOPLE)
        assert (
            client.get(reverse("memberships:import_job", args=[job.pk])).status_code == HTTPStatus.NOT_FOUND
        )

    def test_the_listing_offers_import_only_to_those_who_may(self, client, north, host_staff, north_lead):
        client.force_login(host_staff)
        assert reverse("people:import") in client.get(reverse("people:index")).content.decode()
        client.force_login(north_lead)
        assert reverse("people:import") not in client.get(reverse("people:index")).content.decode()
        assert reverse("memberships:import") in client.get(reverse("memberships:index")).content.decode()


@pytest.mark.django_db
class TestExportPermission:
    @pytest.fixture
    def viewer_without_export(self, north):
        """Someone who may list people and memberships on screen but not carry them away."""
        user = UserFactory(username="viewer", is_staff=False)
        group = Group.objects.create(name="Viewers")
        group.permissions.set(
            Permission.objects.filter(
                codename__in=["access_admin", "view_person", "view_membership", "view_application"]
            )
        )
        user.groups.add(group)
        return user

    @pytest.mark.parametrize("namespace", ["people", "memberships", "applications"])
    def test_export_needs_its_own_permission(self, client, north, viewer_without_export, namespace):
        MembershipFactory(partnership=north)
        client.force_login(viewer_without_export)
        listing = client.get(reverse(f"{namespace}:index"))
        assert listing.status_code == HTTPStatus.OK
        assert "export=csv" not in listing.content.decode()
        for fmt in ("csv", "xlsx"):
            assert_refused(client.get(reverse(f"{namespace}:index"), {"export": fmt}))

    @pytest.mark.parametrize("namespace", ["people", "memberships", "applications"])
    def test_lead_exports_only_their_mnvp(self, client, north, south, north_lead, namespace):
        MembershipFactory(partnership=north, person__last_name="OfNorth")
        MembershipFactory(partnership=south, person__last_name="OfSouth")
        client.force_login(north_lead)
        listing = client.get(reverse(f"{namespace}:index"))
        assert "export=csv" in listing.content.decode()
        response = client.get(reverse(f"{namespace}:index"), {"export": "csv"})
        assert response.status_code == HTTPStatus.OK
        text = b"".join(response.streaming_content).decode()
        assert "OfSouth" not in text


@pytest.mark.django_db
def test_an_export_imports_back_unchanged(client, north, host_staff, django_capture_on_commit_callbacks):
    MembershipFactory(partnership=north, person__email="asha@example.org", ppv_category="C")
    client.force_login(host_staff)
    exported = b"".join(client.get(reverse("memberships:index"), {"export": "csv"}).streaming_content)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, "memberships", exported)
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.CHECKED, job.errors
    assert job.summary == {"new": 0, "updated": 1}
    assert job.ignored_columns == []
