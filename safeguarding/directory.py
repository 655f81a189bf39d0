"""Reads of the signposting directory, shared by the admin listing and the public page."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .enums import SupportTopic
from .models import SupportOrganisation


def helps_with_q(topic: str) -> Q:
    """Organisations whose ``helps_with`` list holds ``topic``.

    The list is stored as JSON text on SQLite and jsonb on PostgreSQL; looking for the
    quoted value works on both (``__contains`` with a list does not on SQLite). Only
    known topics are looked for, so the quoted value cannot match part of another.
    """
    if topic not in SupportTopic.values:
        raise ValueError(f"Unknown support topic {topic!r}")
    return Q(helps_with__icontains=f'"{topic}"')


def serves_partnership_q(partnership) -> Q:
    """Organisations for ``partnership``'s area, and those tied to no MNVP (national, most of them)."""
    links = SupportOrganisation.partnerships.through.objects
    serving = links.filter(partnership=partnership).values("supportorganisation_id")
    tied = links.values("supportorganisation_id")
    return Q(pk__in=serving) | ~Q(pk__in=tied)


def filter_organisations(
    queryset: QuerySet, *, topic: str = "", area: str = "", partnership=None
) -> QuerySet:
    """Narrow a queryset of organisations by what they help with, their area and the MNVP served."""
    if topic:
        queryset = queryset.filter(helps_with_q(topic))
    if area:
        queryset = queryset.filter(area=area)
    if partnership is not None:
        queryset = queryset.filter(serves_partnership_q(partnership))
    return queryset


def public_organisations(*, topic: str = "", area: str = "", partnership=None) -> QuerySet:
    """Active organisations for the public directory, filtered, with their MNVPs loaded."""
    queryset = SupportOrganisation.objects.public().prefetch_related("partnerships")
    return filter_organisations(queryset, topic=topic, area=area, partnership=partnership)
