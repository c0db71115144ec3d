"""Lifecycle transitions and silence matching, on the library functions."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from monitor.alerts.lifecycle import TransitionError, apply_action
from monitor.alerts.silences import create_silence, list_silences, matching_silence
from monitor.errors import InputError
from monitor.models import Alert, AlertAudit, utcnow
from tests.alerts_support import Project, make_project, seed_alerts


@pytest.fixture
def project(tmp_path: Path) -> Project:
    project = make_project(tmp_path)
    seed_alerts(project)
    return project


def alert_of(project: Project, event: str) -> Alert:
    with project.store.session() as session:
        return session.exec(select(Alert).where(Alert.event == event)).first()  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("steps", "final", "verdict"),
    [
        (["ack", "resolve"], "resolved", "true"),
        (["resolve"], "resolved", "true"),
        (["ack", "dismiss"], "dismissed", "false_alarm"),
        (["dismiss"], "dismissed", "false_alarm"),
    ],
)
def test_allowed_paths(project: Project, steps: list[str], final: str, verdict: str) -> None:
    alert_id = alert_of(project, "replacement_request").id or 0
    with project.store.session() as session:
        for step in steps:
            apply_action(session, [alert_id], step, by="ana")
    alert = alert_of(project, "replacement_request")
    assert (alert.status, alert.verdict, alert.status_by) == (final, verdict, "ana")
    with project.store.session() as session:
        trail = session.exec(select(AlertAudit).where(AlertAudit.alert_id == alert_id)).all()
    assert [t.action for t in trail] == steps


@pytest.mark.parametrize(
    ("first", "then", "message"),
    [
        ("dismiss", "resolve", "is dismissed; cannot resolve it (only from: new, acknowledged)"),
        ("resolve", "dismiss", "is resolved; cannot dismiss it (only from: new, acknowledged)"),
        ("resolve", "ack", "is resolved; cannot ack it (only from: new)"),
        ("ack", "ack", "is already acknowledged"),
        ("dismiss", "dismiss", "is already dismissed"),
    ],
)
def test_refused_transitions(project: Project, first: str, then: str, message: str) -> None:
    alert_id = alert_of(project, "replacement_request").id or 0
    with project.store.session() as session:
        apply_action(session, [alert_id], first, by="ana")
    with pytest.raises(TransitionError) as caught, project.store.session() as session:
        apply_action(session, [alert_id], then, by="bo")
    assert str(caught.value) == f"{then}: nothing changed:\nalert {alert_id}: {message}"
    assert alert_of(project, "replacement_request").status_by == "ana"


def test_unknown_verdict(project: Project) -> None:
    message = "--verdict: 'maybe' is not one of true, false_alarm"
    with pytest.raises(InputError, match=message), project.store.session() as session:
        apply_action(session, [1], "resolve", by="ana", verdict="maybe")


def test_silence_matchers(project: Project) -> None:
    point = alert_of(project, "mobilization_point")
    now = utcnow() + timedelta(seconds=5)  # the silences below start a moment earlier
    rule = "border_mobilization.mobilization_point"
    with project.store.session() as session:
        create_silence(session, duration=timedelta(hours=1), by="ops", rule_id="other.rule")
        create_silence(session, duration=timedelta(hours=1), by="ops", event="summons")
        assert (
            matching_silence(list_silences(session, include_expired=True), point, [rule], now)
            is None
        )
        by_rule = create_silence(session, duration=timedelta(hours=1), by="ops", rule_id=rule)
        assert (
            matching_silence(list_silences(session, include_expired=True), point, [rule], now)
            == by_rule
        )
        assert (
            matching_silence(list_silences(session, include_expired=True), point, ["x"], now)
            is None
        )  # the rule must be its
        assert (
            matching_silence(
                list_silences(session, include_expired=True),
                point,
                [rule],
                now + timedelta(hours=2),
            )
            is None
        )
        both = create_silence(
            session,
            duration=timedelta(days=1),
            by="ops",
            event="mobilization_point",
            pair="KAZ-RUS",
        )
        assert (
            matching_silence(list_silences(session, include_expired=True), point, [], now) == both
        )
