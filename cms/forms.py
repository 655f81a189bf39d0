"""Form helpers shared by every admin action view."""

from django.core.exceptions import ValidationError


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: beside its field where the form has one.

    Services validate (full_clean, state rules) and raise; views show the result as
    form errors, keeping what was typed, rather than a server error.
    """
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
