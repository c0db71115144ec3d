"""Domain errors; the CLI turns them into messages and exit codes in one place.

MonitorError
 +-- ConfigError        bad or unreadable configuration
 +-- StoreError         the database cannot be opened or migrated
 +-- InputError         one input (file, line, feed entry) was rejected; carries a location
"""

from __future__ import annotations


class MonitorError(Exception):
    """Base class of every error ``monitor`` reports to its user."""


class ConfigError(MonitorError):
    """The configuration file or environment is invalid."""


class StoreError(MonitorError):
    """The database cannot be opened, read or migrated."""


class InputError(MonitorError):
    """One piece of input was rejected; ``where`` says which (``path:line`` or a URL)."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message
