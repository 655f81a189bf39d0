"""People: one record per human, with consent history and equality data kept apart."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from ..enums import (
    AgeBand,
    Disability,
    Ethnicity,
    GenderIdentitySameAsSex,
    PreferredContact,
    Religion,
    SexualOrientation,
)
from ..fields import PostcodeField, postcode_district
from .partnerships import ScopedQuerySet


class PersonQuerySet(ScopedQuerySet):
    def with_email(self, email: str):
        """People with this email in any case, found through the unique index on ``LOWER(email)``.

        (``email__iexact`` compiles to ``LIKE`` on SQLite and ``UPPER()`` on PostgreSQL, which
        that index cannot serve: every sign-up read all 100,000 people, 33 ms.)
        """
        return self.alias(email_lower=Lower("email")).filter(email_lower=(email or "").strip().lower())


class Person(models.Model):
    """A volunteer, member or applicant. Contact details only: nothing special-category."""

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(max_length=254)
    phone = models.CharField(max_length=30, blank=True)
    postcode = PostcodeField(blank=True)
    preferred_contact = models.CharField(
        max_length=10, choices=PreferredContact.choices, default=PreferredContact.EMAIL
    )
    access_needs = models.TextField(blank=True, help_text="What helps them take part.")
    language_needs = models.CharField(max_length=200, blank=True)
    contact_consent = models.BooleanField(
        "agrees to hear about opportunities", default=False, help_text="Newsletters and invitations."
    )
    contact_consent_changed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = "person"
        verbose_name_plural = "people"
        permissions = [
            ("import_person", "Can import people from a spreadsheet"),
            ("export_person", "Can export people to a spreadsheet"),
        ]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="person_email_ci_unique",
                violation_error_message="A person with this email address already exists.",
            ),
        ]
        indexes = [models.Index(fields=["last_name", "first_name"], name="person_name_idx")]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def postcode_district(self) -> str:
        return postcode_district(self.postcode)

    @classmethod
    def partnership_scope_q(cls, partnership_ids, field: str = "pk") -> Q:
        """A person belongs to the MNVPs they applied to or are a member of.

        ``field`` leads from the model being narrowed to the person ("pk" here,
        "person" on a record of theirs). The people come as one ``IN (... UNION ...)``
        subquery, read once through the partnership indexes of memberships and
        applications; an ``EXISTS`` per person probed all 100,000 people for a lead
        who sees 2,000 (10x slower at host scale: benchmarks/RESULTS.md).
        """
        from .recruitment import Application, Membership

        members = Membership.objects.filter(partnership__in=partnership_ids)
        applicants = Application.objects.filter(partnership__in=partnership_ids)
        people = members.order_by().values("person_id").union(applicants.order_by().values("person_id"))
        return Q(**{f"{field}__in": people})


class PrivacyConsent(models.Model):
    """Each time a person accepted the privacy notice: which version, when, and how."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="privacy_consents")
    notice_version = models.CharField(max_length=40)
    given_at = models.DateTimeField()
    source = models.CharField(max_length=40)

    class Meta:
        ordering = ["-given_at"]
        verbose_name = "privacy notice consent"

    def __str__(self):
        return f"{self.person} accepted privacy notice {self.notice_version} on {self.given_at:%d %b %Y}"

    @classmethod
    def partnership_scope_q(cls, partnership_ids) -> Q:
        return Person.partnership_scope_q(partnership_ids, "person")


class EqualityMonitoring(models.Model):
    """Optional equality answers, kept apart from contact data and never listed per person.

    Only aggregate reports read this table, with small numbers suppressed.
    """

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="equality_monitoring")
    ethnicity = models.CharField(max_length=40, choices=Ethnicity.choices, blank=True)
    age_band = models.CharField(max_length=20, choices=AgeBand.choices, blank=True)
    disability = models.CharField(max_length=20, choices=Disability.choices, blank=True)
    sexual_orientation = models.CharField(max_length=20, choices=SexualOrientation.choices, blank=True)
    gender_identity_same_as_sex = models.CharField(
        "gender identity the same as sex registered at birth",
        max_length=20,
        choices=GenderIdentitySameAsSex.choices,
        blank=True,
    )
    religion = models.CharField(max_length=20, choices=Religion.choices, blank=True)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "equality monitoring answers"
        verbose_name_plural = "equality monitoring answers"
        default_permissions = ()
        permissions = [("view_equality_report", "Can view equality reports (aggregates only)")]

    def __str__(self):
        return f"Equality monitoring #{self.pk}"
