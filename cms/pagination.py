"""Pages of an admin listing fetched by a "deferred join" (late row lookup).

``OFFSET n`` makes the database build and throw away the ``n`` rows before the page.
A listing's query builds each of them in full, joins (``select_related``) and
annotations included, so the deep pages of a large listing cost far more than its
first (page 12,500 of 500,000 training records: 3.2 s). Here the page's primary keys
are chosen first by a narrow query (the same filters, search and ordering, selecting
the pk alone), then only those rows are fetched in full and put back in page order.
"""

from __future__ import annotations

from django.db.models import OrderBy, QuerySet
from django.db.models.query import ModelIterable
from wagtail.admin.paginator import WagtailPaginator


class DeferredJoinPaginator(WagtailPaginator):
    """Wagtail's paginator whose pages are read by primary key first, then in full.

    It also ends the ordering with the primary key when it does not end there already:
    an ordering with ties (``-completed_on``) leaves the database free to order tied
    rows differently from one query to the next, so a row could show on two pages, or
    none, and the narrow query could pick other tied rows than the full one would.
    """

    def __init__(self, object_list, *args, **kwargs):
        super().__init__(with_unique_ordering(object_list), *args, **kwargs)

    def page(self, number):
        # As Django's Paginator.page, but the slice is read through page_rows.
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(page_rows(self.object_list, bottom, top), number, self)


def page_rows(object_list, bottom: int, top: int):
    """The rows ``object_list[bottom:top]``, in that order, read by primary key first.

    Anything that is not a plain model QuerySet (search backend results, a list, a
    union, ``DISTINCT ON``) is sliced as usual.
    """
    if not _can_defer(object_list):
        return object_list[bottom:top]
    # values_list drops select_related and leaves annotations out of the SELECT; an
    # annotation the ordering or a filter uses is still written into ORDER BY / WHERE.
    ids = list(object_list.prefetch_related(None).values_list("pk", flat=True)[bottom:top])
    if not ids:
        return []
    # The same query (filters kept: an annotation may count through a filtered join),
    # narrowed to the page's keys; no ORDER BY, the page order is the keys' order.
    rows = {row.pk: row for row in object_list.filter(pk__in=set(ids)).order_by()}
    return [rows[pk] for pk in ids if pk in rows]


def with_unique_ordering(object_list):
    """``object_list`` ordered as before, then by primary key if its ordering may tie."""
    if not isinstance(object_list, QuerySet) or not object_list.ordered or object_list.query.is_sliced:
        return object_list
    query = object_list.query
    ordering = list(query.order_by or (query.get_meta().ordering if query.default_ordering else ()))
    if not ordering or "?" in ordering or query.combinator or query.distinct_fields or query.extra_order_by:
        return object_list
    pk_names = {"pk", object_list.model._meta.pk.attname, object_list.model._meta.pk.name}
    last = ordering[-1]
    if isinstance(last, str):
        if last.lstrip("-") in pk_names:
            return object_list
        descending = last.startswith("-")
    elif isinstance(last, OrderBy):
        descending = last.descending
    else:
        descending = False
    return object_list.order_by(*ordering, "-pk" if descending else "pk")


def _can_defer(object_list) -> bool:
    if not isinstance(object_list, QuerySet) or object_list._iterable_class is not ModelIterable:
        return False
    query = object_list.query
    return not (query.combinator or query.distinct_fields or query.is_sliced or query.extra)
