"""One check for every uploaded file: its extension, its size and its content.

A file's name is a claim; its first bytes are the evidence. Each kind of upload
(certificates, receipts, milestone attachments, case documents, spreadsheet imports,
Wagtail documents) is an :class:`UploadRule` with its own extensions and size limit,
and :meth:`UploadRule.check` refuses, with a message saying what to do:

- an extension not on the rule's list;
- a file over the rule's size;
- content that is not what the extension says, by content sniffing (no libmagic):
  PDF, PNG, JPEG, GIF and HEIC by their signatures; DOCX, XLSX, PPTX, ODT and ODS by
  being zip containers that hold that kind's own part; MSG by the OLE signature;
  CSV, TXT and EML by being UTF-8 text without NUL bytes.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError

SNIFF_BYTES = 8192

_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "msg": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
}
# HEIC: an ISO media file whose "ftyp" box (from byte 4) names a HEIF brand.
_HEIC_BRANDS = (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftypmsf1", b"ftypheif")
# Office Open XML and OpenDocument files are zip archives; each kind holds its own part.
_ZIP_PARTS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
_OPENDOCUMENT_TYPES = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
}
TEXT_KINDS = ("csv", "txt", "eml")
KNOWN_KINDS = frozenset(_SIGNATURES) | {"heic"} | set(_ZIP_PARTS) | set(_OPENDOCUMENT_TYPES) | set(TEXT_KINDS)


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in (name or "") else ""


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is not a fault of the file.
        return error.start >= len(head) - 3 and len(head) == SNIFF_BYTES
    return True


def _zip_holds(upload, extension: str) -> bool:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if extension in _ZIP_PARTS:
                return _ZIP_PARTS[extension] in names
            return "mimetype" in names and archive.read("mimetype").strip() == _OPENDOCUMENT_TYPES[extension]
    except (zipfile.BadZipFile, OSError, KeyError, EOFError):
        return False
    finally:
        upload.seek(0)


def content_matches(upload, extension: str) -> bool:
    """Whether the file's bytes are those of a ``.extension`` file."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    if extension in TEXT_KINDS:
        return _is_text(head)
    if extension == "heic":
        return head[4:12] in _HEIC_BRANDS
    if extension in _ZIP_PARTS or extension in _OPENDOCUMENT_TYPES:
        return head.startswith(b"PK\x03\x04") and _zip_holds(upload, extension)
    return head.startswith(_SIGNATURES[extension])


def _megabytes(size: int) -> str:
    return f"{size / 2**20:.0f} MB" if size % 2**20 == 0 else f"{size / 2**20:.1f} MB"


@dataclass(frozen=True)
class UploadRule:
    """What one kind of upload may be. ``check`` raises a ValidationError on ``field``."""

    label: str  # "receipt", "certificate": used in the messages
    extensions: tuple[str, ...]
    max_bytes: int

    def __post_init__(self):
        unknown = set(self.extensions) - KNOWN_KINDS
        if unknown:
            raise ValueError(f"No content check for {sorted(unknown)}: add one to cms/uploads.py first.")

    def describe(self) -> str:
        kinds = [extension.upper() for extension in self.extensions if extension != "jpeg"]
        listed = ", ".join(kinds[:-1]) + f" or {kinds[-1]}" if len(kinds) > 1 else kinds[0]
        return f"{listed}, up to {_megabytes(self.max_bytes)}"

    def problem(self, upload, *, content: bool = True) -> str | None:
        """What is wrong with ``upload``, in words for the person uploading; None when nothing.

        ``content=False`` leaves the content to a later, fuller reading of the file.
        """
        extension = extension_of(upload.name)
        if extension not in self.extensions:
            shown = f".{extension} files are" if extension else "Files without an extension are"
            return f"{shown} not allowed as a {self.label}: attach a {self.describe()}."
        if upload.size > self.max_bytes:
            return (
                f"The {self.label} is {upload.size / 2**20:.1f} MB; "
                f"attach one of {_megabytes(self.max_bytes)} or less."
            )
        if content and not content_matches(upload, extension):
            if extension in TEXT_KINDS:
                return f"This is not a .{extension} text file: save it as UTF-8 text and try again."
            kind = extension.upper()
            return (
                f"The file's contents are not those of a .{extension} file, so it could not be read as "
                f"{kind}: is it damaged, or not really a {kind}?"
            )
        return None

    def check_new_file(self, fieldfile, field: str) -> None:
        """For a model's ``clean()``: the content of a file just uploaded (not one already stored).

        The field's own validators report a wrong extension or size (full_clean runs them
        first), so only a file that passes those is sniffed here: one message per problem.
        """
        if not fieldfile or getattr(fieldfile, "_committed", True):
            return
        upload = fieldfile.file
        if extension_of(upload.name) in self.extensions and upload.size <= self.max_bytes:
            self.check(upload, field)

    def check(self, upload, field: str | None = None) -> None:
        """Raise a ValidationError (on ``field`` when given) if ``upload`` breaks the rule."""
        if not upload:
            return
        message = self.problem(upload)
        if message:
            raise ValidationError({field: message} if field else message, code="invalid_upload")


def wagtail_document_rule() -> UploadRule:
    """Wagtail documents: the extensions and size limit in settings (WAGTAILDOCS_*)."""
    from django.conf import settings

    extensions = tuple(settings.WAGTAILDOCS_EXTENSIONS)
    return UploadRule("document", extensions, settings.WAGTAILDOCS_MAX_UPLOAD_SIZE)
