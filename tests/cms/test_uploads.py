"""Uploads: one check of extension, size and content for every file; private files only through views."""

import datetime
from http import HTTPStatus

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse
from wagtail.admin.forms.collections import CollectionViewRestrictionForm
from wagtail.admin.forms.pages import PageViewRestrictionForm
from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction

from cms.uploads import UploadRule, wagtail_document_rule
from members.models import TrainingRecord
from members.models.training import CERTIFICATE_UPLOADS
from members.services.imports import IMPORT_UPLOADS
from safeguarding.services.cases import DOCUMENT_UPLOADS
from tests.cms.upload_samples import DOCX, GIF, HEIC, JPEG, ODT, PDF, PNG, XLSX
from tests.factories import CourseFactory, PersonFactory
from workplans.services.claims import RECEIPT_UPLOADS
from workplans.services.plans import ATTACHMENT_UPLOADS

# Every file field of ours, and the rule that checks what is uploaded to it. A new
# FileField fails test_every_file_field_has_an_upload_rule until it is added here.
RULES = {
    "members.TrainingRecord.certificate": CERTIFICATE_UPLOADS,
    "workplans.ExpenseItem.receipt": RECEIPT_UPLOADS,
    "workplans.MilestoneUpdate.attachment": ATTACHMENT_UPLOADS,
    "safeguarding.CaseDocument.file": DOCUMENT_UPLOADS,
    "members.ImportJob.content": IMPORT_UPLOADS,  # a BinaryField: the import's file
}
OUR_APPS = {"cms", "members", "workplans", "safeguarding", "home", "security", "privacy", "volunteers"}

GOOD = {
    "pdf": PDF,
    "png": PNG,
    "jpg": JPEG,
    "jpeg": JPEG,
    "gif": GIF,
    "heic": HEIC,
    "docx": DOCX,
    "xlsx": XLSX,
    "odt": ODT,
    "txt": "Notes with an accent: café\n".encode(),
    "csv": b"Email,First name\nada@example.org,Ada\n",
    "eml": b"From: someone\nSubject: hello\n\nText\n",
    "msg": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16,
}
RULE = UploadRule("file", tuple(GOOD), 1024)


@pytest.fixture
def root_collection(db):
    return Collection.get_first_root_node() or Collection.add_root(name="Root")


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_every_file_field_has_an_upload_rule():
    found = set()
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField) or (
                isinstance(field, models.BinaryField) and model._meta.label == "members.ImportJob"
            ):
                found.add(f"{model._meta.label}.{field.name}")
    missing = {label for label in found if label not in RULES and not label.startswith("volunteers.")}
    assert not missing, f"add an UploadRule check for {missing}"


@pytest.mark.parametrize("extension", sorted(GOOD))
def test_a_real_file_of_each_kind_is_accepted(extension):
    RULE.check(upload(f"file.{extension}", GOOD[extension]))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("receipt.pdf", b"MZ\x90\x00 a program", "contents are not those of a .pdf file"),
        ("photo.png", PDF, "not really a PNG"),
        ("photo.gif", PNG, "not really a GIF"),
        ("plan.docx", b"PK\x03\x04 not a real zip", "could not be read as DOCX"),
        ("plan.docx", XLSX, "not really a DOCX"),
        ("sheet.xlsx", DOCX, "not really a XLSX"),
        ("notes.odt", DOCX, "not really a ODT"),
        ("iphone.heic", JPEG, "not really a HEIC"),
        ("notes.txt", b"abc\x00def", "not a .txt text file"),
        ("people.csv", "Zoë".encode("cp1252"), "not a .csv text file"),
        ("program.exe", b"MZ", ".exe files are not allowed"),
        ("noextension", PDF, "Files without an extension are not allowed"),
        ("big.pdf", PDF + b"x" * 1024, "or less"),
    ],
)
def test_a_disguised_wrong_or_oversized_file_is_refused_with_a_clear_message(name, content, message):
    with pytest.raises(ValidationError) as refused:
        RULE.check(upload(name, content), "file")
    assert message in " ".join(refused.value.message_dict["file"])


def test_a_size_limit_is_given_in_megabytes():
    with pytest.raises(ValidationError, match="attach one of 5 MB or less"):
        CERTIFICATE_UPLOADS.check(upload("cert.pdf", PDF + b"x" * (5 * 2**20)))


def test_a_rule_cannot_allow_a_kind_it_cannot_sniff():
    with pytest.raises(ValueError, match="No content check"):
        UploadRule("file", ("exe",), 10)


@pytest.mark.django_db
def test_a_certificate_that_is_not_what_its_name_says_is_refused():
    record = TrainingRecord(
        person=PersonFactory(),
        course=CourseFactory(),
        completed_on=datetime.date(2026, 1, 5),
        certificate=ContentFile(b"MZ a program", name="cert.pdf"),
    )
    with pytest.raises(ValidationError) as refused:
        record.full_clean()
    assert "not really a PDF" in " ".join(refused.value.message_dict["certificate"])


@pytest.mark.django_db
def test_the_document_upload_refuses_a_disguised_file(client, superuser, root_collection):
    client.force_login(superuser)
    response = client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Minutes",
            "file": upload("minutes.pdf", b"MZ a program"),
            "collection": root_collection.pk,
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert "not really a PDF" in response.content.decode()
    assert not Document.objects.exists()
    response = client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Minutes",
            "file": upload("minutes.pdf", PDF),
            "collection": root_collection.pk,
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    assert Document.objects.get().title == "Minutes"


def test_wagtail_documents_use_the_settings_extensions():
    assert wagtail_document_rule().extensions == tuple(settings.WAGTAILDOCS_EXTENSIONS)
    assert settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"


# --- Private files are never reachable by URL -----------------------------------------------


def test_private_media_lives_outside_the_public_media_root():
    private, public = settings.PRIVATE_MEDIA_ROOT.resolve(), settings.MEDIA_ROOT.resolve()
    assert not private.is_relative_to(public)
    assert not public.is_relative_to(private)
    assert settings.STORAGES["private"]["OPTIONS"]["base_url"] is None


@pytest.mark.django_db
def test_a_certificate_cannot_be_fetched_by_a_media_url(client, host_staff):
    record = TrainingRecord.objects.create(
        person=PersonFactory(),
        course=CourseFactory(),
        completed_on=datetime.date(2026, 1, 5),
        certificate=ContentFile(PDF, name="cert.pdf"),
    )
    name = record.certificate.name
    client.force_login(host_staff)
    for path in (name, f"../private-media/{name}", f"%2e%2e/private-media/{name}"):
        response = client.get(f"{settings.MEDIA_URL}{path}")
        assert response.status_code == HTTPStatus.NOT_FOUND, path
    # Even the address the storage would give it leads nowhere: the file is not under MEDIA_ROOT.
    assert client.get(record.certificate.url).status_code == HTTPStatus.NOT_FOUND
    assert not (settings.MEDIA_ROOT / name).exists()


@pytest.mark.django_db
def test_a_document_in_a_private_collection_is_refused_to_anonymous_users(
    client, host_staff, root_collection
):
    private = root_collection.add_child(name="Board papers")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    document = Document.objects.create(
        title="Board minutes", collection=private, file=ContentFile(PDF, name="board.pdf")
    )
    url = document.url
    assert url.startswith("/documents/")  # the serve view, never a /media/ address
    response = client.get(url)
    assert response.status_code == HTTPStatus.FOUND
    assert "login" in response["Location"]
    assert client.get(f"{settings.MEDIA_URL}{document.file.name}").status_code == HTTPStatus.NOT_FOUND
    client.force_login(host_staff)
    assert client.get(url).status_code == HTTPStatus.OK


# --- Shared-password privacy is not offered -------------------------------------------------


def test_shared_password_privacy_is_not_offered_for_pages_or_collections():
    assert settings.WAGTAIL_PRIVATE_PAGE_OPTIONS == {"SHARED_PASSWORD": False}
    assert settings.WAGTAILDOCS_PRIVATE_COLLECTION_OPTIONS == {"SHARED_PASSWORD": False}
    page_form = PageViewRestrictionForm(private_page_options=["password", "login", "groups"])
    collection_form = CollectionViewRestrictionForm()
    for form in (page_form, collection_form):
        choices = [value for value, _ in form.fields["restriction_type"].choices]
        assert "password" not in choices
        assert "password" not in form.fields
