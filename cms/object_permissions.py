"""django-guardian's object permissions, kept tidy: none outlives the object it is about.

Guardian stores an object permission against a content type and a primary key in
text (a generic foreign key), so the database does not cascade a delete to it. A
left-over row would hand the same access to whatever record is created later with
that primary key (SQLite reuses the highest id after a delete). So every model that
ever gets object permissions is listed here, and deleting one of its rows deletes
its permissions in the same transaction.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete

# Every model given object permissions (grep assign_perm): members/services/access.py
# grants MNVP access on partnerships, safeguarding/permissions.py case access on cases.
OBJECT_PERMISSION_MODELS = ("members.Partnership", "safeguarding.Case")


def delete_object_permissions(instance) -> int:
    """Remove every user and group object permission on ``instance``; returns how many went."""
    from guardian.models import GroupObjectPermission, UserObjectPermission

    content_type = ContentType.objects.get_for_model(type(instance), for_concrete_model=True)
    deleted = 0
    for model in (UserObjectPermission, GroupObjectPermission):
        count, _ = model.objects.filter(content_type=content_type, object_pk=str(instance.pk)).delete()
        deleted += count
    return deleted


def _deleted(sender, instance, **kwargs):
    delete_object_permissions(instance)


def connect() -> None:
    """Called from CmsConfig.ready(): one post_delete receiver per model that gets object permissions."""
    for label in OBJECT_PERMISSION_MODELS:
        post_delete.connect(_deleted, sender=label, dispatch_uid=f"object-permissions-{label}")
