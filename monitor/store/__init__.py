"""Persistence: engine setup, migrations and every query."""

from monitor.store.engine import Store, open_store

__all__ = ["Store", "open_store"]
