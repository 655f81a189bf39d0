"""Figures worked out from some tables, kept in the cache until any of those tables changes.

A report that reads a whole host's rows (100,000 people, 200,000 stage changes) can
take a second or more; most views of it see the same data. A :class:`VersionedCache`
keeps each result under a version token that is replaced, so every kept result is
dropped, whenever a row it follows from is written:

* saves and deletes send Django's signals, which :meth:`VersionedCache.connect`
  listens to (the token is replaced at once, and again when the transaction commits,
  so a reader who worked out the old data in between cannot keep it);
* bulk writes send none, so the code that makes them calls :meth:`VersionedCache.forget`.

The caller puts the period a result may stand for in its key (a day, an hour), so
time passing is worked out afresh too.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import ModelSignal


class VersionedCache:
    def __init__(self, name: str, timeout: int):
        self.name = name
        self.timeout = timeout
        self.version_key = f"{name}:version"

    def _version(self) -> str:
        version = cache.get(self.version_key)
        if version is None:
            cache.add(self.version_key, uuid.uuid4().hex, None)
            version = cache.get(self.version_key) or "unversioned"
        return version

    def forget(self) -> None:
        """Drop every kept result: call after a write that sends no signals (bulk inserts, updates)."""
        cache.set(self.version_key, uuid.uuid4().hex, None)

    def get_or_compute(self, key: str, compute: Callable[[], object]):
        """The result kept for ``key`` under the current version, or ``compute()``'s, kept."""
        full_key = f"{self.name}:{self._version()}:{key}"
        value = cache.get(full_key)
        if value is None:
            value = compute()
            cache.set(full_key, value, self.timeout)
        return value

    def changed(self, **kwargs) -> None:
        """Signal receiver: a row the results follow from was written."""
        if kwargs.get("raw"):  # loading fixtures
            return
        self.forget()
        transaction.on_commit(self.forget)

    def connect(self, signals: Iterable[tuple[ModelSignal, object]]) -> None:
        """Forget on each ``(signal, sender)``: post_save, post_delete or m2m_changed of a model."""
        for signal, sender in signals:
            label = getattr(getattr(sender, "_meta", None), "label_lower", str(sender))
            signal.connect(self.changed, sender=sender, dispatch_uid=f"{self.name}:{label}:{id(signal)}")
