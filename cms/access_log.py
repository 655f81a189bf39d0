"""Writing the access log of confidential records (safeguarding, cases, DBS, equality data)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from cms.antispam import client_ip

from .models import AccessLogEntry


def record_access(*, request, action: str, obj=None, model=None, detail: str = "") -> AccessLogEntry:
    """Log that ``request.user`` did ``action`` to ``obj`` (or to a listing of ``model``)."""
    model = model or type(obj)
    return AccessLogEntry.objects.create(
        user=request.user if request.user.is_authenticated else None,
        action=action,
        content_type=ContentType.objects.get_for_model(model),
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        detail=detail[:300],
        ip_address=client_ip(request) or None,
    )
