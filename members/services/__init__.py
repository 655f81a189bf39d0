"""Writes, grouped by area. Each is keyword-only, validates, runs in a transaction and is audited."""
