"""The escalation ladder (DOMAIN.md): each event's step and Goldstein-like weight.

Severity is on a 0..10 scale: the magnitude of the weight, plus one point for each
reason the alert was raised (it moved its pair up the ladder, or it answers a mirror
event), capped at 10.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rung:
    """Where an event stands: ladder step (None off the ladder) and weight (-10..+10)."""

    step: int | None
    weight: float


# Steps and weights from DOMAIN.md; exit_restriction and mobilization_exodus have no
# CAMEO weight there, so ours are chosen below mobilization_point (-7.2) on purpose.
RUNGS: dict[str, Rung] = {
    "expulsion_demand": Rung(1, -5.0),
    "threat": Rung(1, -5.8),
    "summons": Rung(2, -2.0),
    "protest_note": Rung(2, -2.0),
    "replacement_request": Rung(3, -4.0),
    "recall": Rung(3, -4.0),
    "expulsion": Rung(4, -5.0),
    "persona_non_grata": Rung(4, -5.5),
    "downgrade": Rung(5, -6.0),
    "break_of_relations": Rung(5, -7.0),
    "mobilization_point": Rung(None, -7.2),
    "exit_restriction": Rung(None, -6.0),
    "mobilization_exodus": Rung(None, -3.0),
}
# CAMEO codes (DOMAIN.md), for joining alerts with GDELT / ICEWS data.
CAMEO = {
    "expulsion_demand": "10",
    "threat": "1313",
    "summons": "114",
    "protest_note": "114",
    "replacement_request": "161",
    "recall": "161",
    "expulsion": "161",
    "persona_non_grata": "161",
    "downgrade": "160",
    "break_of_relations": "161",
    "mobilization_point": "154",
}
BURST_EVENT = "burst"
BURST_SEVERITY = 5.0
RAISE_POINTS = 1.0
MAX_SEVERITY = 10.0

# Events whose mirror (B does to A what A did to B) is a tit-for-tat.
MIRRORED_EVENTS = frozenset(
    {"expulsion_demand", "threat", "summons", "protest_note", "recall", "expulsion"}
    | {"persona_non_grata", "downgrade"}
)


def rung_of(event: str) -> Rung:
    """The ladder rung of an event; unknown events sit off the ladder with weight 0."""
    return RUNGS.get(event, Rung(None, 0.0))


def pair_of(actor: str | None, target: str | None, place_countries: str | None) -> str | None:
    """The pair of states an event is between, sorted: ``KAZ-RUS``; None when unknown."""
    if actor and target and actor != target:
        return "-".join(sorted((actor, target)))
    if place_countries:
        states = sorted({c for c in place_countries.split("-") if len(c) == 3})
        if len(states) == 2:
            return "-".join(states)
    return None


def severity_of(weight: float, raises: int) -> float:
    """Weight magnitude plus a point per raise, capped."""
    return min(MAX_SEVERITY, round(abs(weight) + RAISE_POINTS * raises, 2))
