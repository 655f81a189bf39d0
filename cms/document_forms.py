"""The Wagtail document form, with the same upload check as every other file (cms/uploads.py)."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from wagtail.documents.forms import BaseDocumentForm

from .uploads import wagtail_document_rule


class CheckedDocumentForm(BaseDocumentForm):
    """settings.WAGTAILDOCS_DOCUMENT_FORM_BASE: a new file's extension, size and content are checked."""

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if isinstance(file, UploadedFile):
            problem = wagtail_document_rule().problem(file)
            if problem:
                raise ValidationError(problem, code="invalid_upload")
        return file
