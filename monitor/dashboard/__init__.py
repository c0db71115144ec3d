"""The live terminal dashboard: snapshots read from the store, rendered with rich."""
