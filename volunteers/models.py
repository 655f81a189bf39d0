"""Sign-in links for the volunteer area: only a hash of each token is kept."""

from django.db import models
from django.utils import timezone

from members.models import Person


class SignInLinkQuerySet(models.QuerySet):
    def usable(self, now=None):
        """Links not used yet and not expired."""
        return self.filter(used_at__isnull=True, expires_at__gt=now or timezone.now())


class SignInLink(models.Model):
    """One emailed sign-in link: single use, short-lived, stored as a SHA-256 hash of its token.

    The token itself exists only in the email, so a copy of the database signs nobody in.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="sign_in_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    objects = SignInLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "volunteer sign-in link"
        indexes = [models.Index(fields=["expires_at"], name="signinlink_expires_idx")]

    def __str__(self):
        return f"Sign-in link for person #{self.person_id} ({self.created_at:%d %b %Y %H:%M})"
