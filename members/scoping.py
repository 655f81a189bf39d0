"""The one place that decides which MNVPs' records a user may see or change.

Every admin listing, edit view, chooser, export and report narrows its queryset
through :func:`scope_queryset`. A model opts in by naming the path from itself to
its ``Partnership`` in ``partnership_scope_path`` ("pk" on Partnership itself,
"partnership" on a direct child, "application__partnership" further down), or, when
it belongs to several MNVPs at once (a person), by a classmethod
``partnership_scope_q(ids)`` returning the ``Q`` that selects its rows.

Who sees what (DESIGN.md, "Permissions"):

* a superuser, or anyone holding the *global* ``members.<action>_partnership``
  permission through a group (host staff), reaches every partnership;
* everyone else reaches only the partnerships on which django-guardian gives them
  the object permission (MNVP leads, ICB commissioners). Global permissions are
  never inferred from object ones (``accept_global_perms`` is decided here, once).
"""

from __future__ import annotations

from django.db.models import Model, Q, QuerySet

# What a record-level action needs on the record's partnership. Adding, changing or
# deleting a record of an MNVP is "working on" that MNVP: change_partnership.
PARTNERSHIP_PERMISSION_FOR_ACTION = {
    "view": "view_partnership",
    "add": "change_partnership",
    "change": "change_partnership",
    "delete": "change_partnership",
}

ALL = None  # returned by permitted_partnership_ids: no narrowing needed
_CACHE_ATTR = "_mnvp_partnership_scope"


def partnership_codename(action: str) -> str:
    try:
        return PARTNERSHIP_PERMISSION_FOR_ACTION[action]
    except KeyError:
        raise ValueError(f"No partnership scope for action {action!r}") from None


def permitted_partnership_ids(user, action: str = "view") -> frozenset[int] | None:
    """The ids of the partnerships ``user`` may ``action`` records of; ``ALL`` for every one.

    The answer is cached on the user object for the rest of the request, so a page
    that asks many times (menus, buttons, rows) pays one query. A partnership
    count is small (tens), so the ids travel as a literal ``IN`` list.
    """
    codename = partnership_codename(action)
    cache = getattr(user, _CACHE_ATTR, None)
    if cache is None:
        cache = {}
        setattr(user, _CACHE_ATTR, cache)
    if codename in cache:
        return cache[codename]

    if not (user.is_authenticated and user.is_active):
        result = frozenset()
    elif user.is_superuser or user.has_perm(f"members.{codename}"):
        result = ALL
    else:
        from guardian.shortcuts import get_objects_for_user

        from .models import Partnership

        result = frozenset(
            get_objects_for_user(
                user,
                f"members.{codename}",
                klass=Partnership,
                # Deliberate: holders of the global permission (and superusers) were
                # answered above with ALL, so only the MNVPs granted one by one count here.
                with_superuser=False,
                accept_global_perms=False,
            ).values_list("pk", flat=True)
        )
    cache[codename] = result
    return result


def forget_cached_scope(user) -> None:
    """Drop the per-request cache, after permissions of ``user`` have changed."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
    # guardian and Django's ModelBackend keep their own caches on the user too.
    for attr in ("_perm_cache", "_user_perm_cache", "_group_perm_cache", "_guardian_perms_cache"):
        if hasattr(user, attr):
            delattr(user, attr)


def scope_queryset(queryset: QuerySet, user, action: str = "view") -> QuerySet:
    """Narrow ``queryset`` to the rows whose partnership ``user`` may ``action``."""
    ids = permitted_partnership_ids(user, action)
    if ids is ALL:
        return queryset
    if not ids:
        return queryset.none()
    return queryset.filter(scope_q(queryset.model, sorted(ids)))


def scope_q(model: type[Model], ids) -> Q:
    if hasattr(model, "partnership_scope_q"):
        return model.partnership_scope_q(ids)
    if hasattr(model, "partnership_scope_path"):
        return Q(**{f"{model.partnership_scope_path}__in": ids})
    raise TypeError(f"{model._meta.label} says nothing of its MNVP, so it cannot be scoped")


def is_scoped_model(model: type[Model]) -> bool:
    return hasattr(model, "partnership_scope_path") or hasattr(model, "partnership_scope_q")


def user_can(user, action: str, obj: Model) -> bool:
    """Whether ``obj`` lies inside the partnerships ``user`` may ``action``.

    Answers from the object itself where the path is one step (no query); deeper
    paths ask the database through :func:`scope_queryset`.
    """
    ids = permitted_partnership_ids(user, action)
    if ids is ALL:
        return True
    path = getattr(type(obj), "partnership_scope_path", None)
    if path == "pk":
        return obj.pk in ids
    if path and "__" not in path:
        return getattr(obj, f"{path}_id") in ids
    return scope_queryset(type(obj)._default_manager.filter(pk=obj.pk), user, action).exists()
