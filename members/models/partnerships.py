from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from ..enums import PartnershipRole, PartnershipStatus, UnitType
from ..scoping import scope_queryset


class User(AbstractUser):
    """An admin login: host staff, leads, case handlers, commissioners.

    Volunteers and members are people records (not logins) unless given access.
    """

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        ordering = ["username"]
        permissions = [("view_audit_log", "Can view the audit log of every MNVP")]


class ScopedQuerySet(models.QuerySet):
    """Base QuerySet for every record that belongs to an MNVP."""

    def for_user(self, user, action: str = "view"):
        return scope_queryset(self, user, action)


class PartnershipQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(status=PartnershipStatus.ACTIVE)

    def public(self):
        """MNVPs families may find on the public site."""
        return self.exclude(status=PartnershipStatus.CLOSED)


class Partnership(ClusterableModel):
    """A Maternity and Neonatal Voices Partnership: the tenant everything hangs from."""

    partnership_scope_path = "pk"

    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(
        max_length=80, unique=True, help_text="Short name used in web addresses, e.g. northshire."
    )
    status = models.CharField(
        max_length=20, choices=PartnershipStatus.choices, default=PartnershipStatus.ACTIVE
    )
    icb_name = models.CharField("ICB", max_length=150, help_text="The Integrated Care Board that funds it.")
    icb_code = models.CharField(
        "ICB ODS code",
        max_length=5,
        blank=True,
        validators=[
            RegexValidator(r"^[A-Z0-9]{3,5}$", "Use the ICB's ODS code: 3 to 5 capital letters or digits.")
        ],
    )
    lmns_name = models.CharField("LMNS", max_length=150, help_text="The Local Maternity and Neonatal System.")
    footprint = models.TextField(
        blank=True, help_text="The area it covers: local authorities, towns, communities."
    )
    contact_email = models.EmailField(blank=True, help_text="Shown on the public page.")
    hosted_since = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "MNVP"
        verbose_name_plural = "MNVPs"
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="partnership_name_ci_unique",
                violation_error_message="An MNVP with this name already exists.",
            ),
        ]

    def __str__(self):
        return self.name


class ServedUnit(Orderable):
    """A trust's unit or service that the MNVP covers."""

    partnership_scope_path = "partnership"

    partnership = ParentalKey(Partnership, on_delete=models.CASCADE, related_name="served_units")
    trust_name = models.CharField(max_length=150)
    unit_name = models.CharField(max_length=150)
    unit_type = models.CharField(max_length=20, choices=UnitType.choices, default=UnitType.OBSTETRIC_UNIT)

    objects = ScopedQuerySet.as_manager()

    class Meta(Orderable.Meta):
        verbose_name = "unit served"
        verbose_name_plural = "units served"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "trust_name", "unit_name"], name="served_unit_unique_per_partnership"
            ),
        ]

    def __str__(self):
        return f"{self.unit_name} ({self.trust_name})"


class PartnershipAccessQuerySet(ScopedQuerySet):
    def of_user(self, user):
        return self.filter(user=user)


class PartnershipAccess(models.Model):
    """Gives an admin login a role for one MNVP (lead, commissioner).

    The source of truth for the django-guardian object permissions on
    ``Partnership``: :mod:`members.services` derives those from these rows.
    """

    partnership_scope_path = "partnership"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="partnership_access")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="access")
    role = models.CharField(max_length=30, choices=PartnershipRole.choices)
    granted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    objects = PartnershipAccessQuerySet.as_manager()

    class Meta:
        ordering = ["partnership__name", "user__username"]
        verbose_name = "MNVP access"
        verbose_name_plural = "MNVP access"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "partnership", "role"], name="partnership_access_unique_role"
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}, {self.partnership}"
