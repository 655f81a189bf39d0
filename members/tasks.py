"""Background work for people and recruitment. Tasks take ids, load, and call a service."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from .models import Application, Person
from .services.imports import check_import, purge_old_imports, run_import
from .services.reminders import send_reminder, send_weekly_digest, sweep_reminders
from .services.training import erase_old_dbs_details


@shared_task
def send_signup_confirmation(person_id: int, application_ids: list[int]) -> bool:
    """Thank a new volunteer and say what happens next. Retries while email is down."""
    person = Person.objects.filter(pk=person_id).first()
    if person is None:  # erased since: nothing to send
        return False
    applications = list(
        Application.objects.filter(pk__in=application_ids, person=person).select_related("partnership")
    )
    context = {"person": person, "applications": applications}
    send_mail(
        subject="Thank you for offering to volunteer",
        message=render_to_string("members/email/signup_confirmation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[person.email],
    )
    return True


@shared_task
def check_import_job(job_id: int) -> str | None:
    """Rehearse an uploaded import and record every problem (runs once per job)."""
    job = check_import(job_id)
    return job and job.status


@shared_task
def run_import_job(job_id: int) -> str | None:
    """Import a confirmed file, all or nothing (runs once per job)."""
    job = run_import(job_id)
    return job and job.status


@shared_task
def purge_old_import_jobs() -> int:
    """Beat: uploaded files hold personal data; drop jobs older than a week."""
    return purge_old_imports()


@shared_task
def sweep_compliance_reminders() -> int:
    """Beat, daily: record the training and DBS reminders due today; each is emailed by its own task."""
    return len(sweep_reminders())


@shared_task
def send_compliance_reminder(reminder_id: int) -> bool:
    """Email one reminder to the person and their leads; a reminder sent already is left alone."""
    return send_reminder(reminder_id)


@shared_task
def send_compliance_digest() -> bool:
    """Beat, weekly: the compliance digest to host staff (once per week, however often it runs)."""
    return send_weekly_digest() is not None


@shared_task
def erase_old_dbs_certificate_details() -> int:
    """Beat, daily: blank DBS certificate numbers six months after the decision (idempotent)."""
    return erase_old_dbs_details()


@shared_task
def make_compliance_export(job_id: str) -> str | None:
    from .compliance_export import run_export

    return run_export(job_id)


@shared_task
def purge_old_compliance_exports() -> int:
    from .compliance_export import purge_old_exports

    return purge_old_exports()
