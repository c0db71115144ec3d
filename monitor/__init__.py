"""monitor: watches news streams for diplomatic-escalation signals."""

__version__ = "0.1.0"
