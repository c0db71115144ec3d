"""Notifications: the alert log (rotation, full disk), webhook retries, e-mail, silences."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from monitor.alerts import deliver_due, raise_alerts
from monitor.alerts.alertlog import append_lines
from monitor.alerts.silences import create_silence
from monitor.models import OutboxEntry, utcnow
from tests.alerts_support import (
    Hit,
    Project,
    add_article,
    make_project,
    seed_alerts,
    write_detections,
)
from tests.servers import MailSink, WebhookSink, smtp_server, webhook_server

SECRET = "s3cret-never-logged"
KAZ_RUS_DISPUTES = {"expulsion_demand", "summons"}


def seeded(project: Project) -> Project:
    seed_alerts(project)
    return project


def outbox(project: Project, channel: str) -> list[OutboxEntry]:
    with project.store.session() as session:
        return list(session.exec(select(OutboxEntry).where(OutboxEntry.channel == channel)))


def log_docs(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_webhook_fails_then_recovers_with_backoff(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with webhook_server(WebhookSink(statuses=[500, 503])) as sink:
        project = make_project(
            tmp_path,
            f'webhook_url = "{sink.url}"\nwebhook_secret = "{SECRET}"\nretry_base = "10s"',
        )
        seeded(project)  # first attempt: HTTP 500, the channel stops for this pass
        assert len(sink.requests) == 1
        rows = outbox(project, "webhook")
        assert len(rows) == 6 and all(r.status == "pending" for r in rows)
        assert rows[0].attempts == 1 and rows[0].last_error == f"webhook {sink.host}: HTTP 500"
        assert all(r.status == "sent" for r in outbox(project, "log"))  # the log is not held up
        shown = project.run("alerts", "show", str(rows[0].alert_id)).output
        assert f"new -> webhook pending after 1 attempt(s): webhook {sink.host}: HTTP 500" in shown
        now = utcnow()
        assert deliver_due(project.store, project.settings, now).sent == 0  # backing off
        assert len(sink.requests) == 1
        second = deliver_due(project.store, project.settings, now + timedelta(seconds=11))
        assert (second.failed, second.errors) == (1, [f"webhook {sink.host}: HTTP 503"])
        assert outbox(project, "webhook")[0].next_attempt_at > now + timedelta(seconds=30)
        third = deliver_due(project.store, project.settings, now + timedelta(seconds=40))
        assert (third.sent, third.failed, third.pending) == (6, 0, 0)
    bodies = sink.delivered
    events = ["expulsion_demand", "replacement_request", "summons", "summons"]
    events += ["mobilization_point", "mobilization_exodus"]
    assert sorted(json.loads(b)["alert"]["event"] for b in bodies) == sorted(events)
    for headers, body, _ in sink.requests:
        expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        assert headers["X-Monitor-Signature"] == f"sha256={expected}"
    assert "HTTP 503" in caplog.text
    assert SECRET not in caplog.text
    assert "T0KEN" not in caplog.text  # webhook URLs often carry a token in the path
    assert SECRET not in project.settings.alert_log_path.read_text(encoding="utf-8")


def test_webhook_timeout_is_reported_and_retried(tmp_path: Path) -> None:
    with webhook_server(WebhookSink(delay_s=1.0)) as sink:
        project = make_project(tmp_path, f'webhook_url = "{sink.url}"\nwebhook_timeout_s = 0.2')
        seeded(project)
        rows = outbox(project, "webhook")
        assert rows[0].last_error == f"webhook {sink.host}: timed out after 0.2s"
        assert all(r.status == "pending" for r in rows)
        sink.delay_s = 0
        later = utcnow() + timedelta(minutes=5)
        assert deliver_due(project.store, project.settings, later).sent == 6


def test_full_disk_keeps_entries_queued_with_a_clear_message(tmp_path: Path) -> None:
    project = make_project(tmp_path, 'log_path = "/dev/full"')
    seeded(project)
    rows = outbox(project, "log")
    assert len(rows) == 6 and all(r.status == "pending" for r in rows)
    assert rows[0].last_error == (
        "/dev/full: cannot write the alert log (disk full: No space left on device);"
        " 6 entries stay queued and will be retried"
    )
    result = project.run("alerts", "deliver")
    assert result.exit_code == 0  # not yet due: nothing tried, nothing failed
    later = utcnow() + timedelta(hours=2)
    assert deliver_due(project.store, project.settings, later).failed == 6
    # room again: the same database, the log at a writable place
    fixed = project.settings.model_copy(
        update={
            "alerts": project.settings.alerts.model_copy(update={"log_path": tmp_path / "a.jsonl"})
        }
    )
    report = deliver_due(project.store, fixed, later + timedelta(hours=2))
    assert (report.sent, report.pending) == (6, 0)
    assert len(log_docs(tmp_path / "a.jsonl")) == 6


def test_cli_deliver_reports_failures(tmp_path: Path) -> None:
    project = make_project(tmp_path, 'log_path = "/dev/full"')
    seeded(project)
    with project.store.session() as session:  # the backoff is over
        for row in session.exec(select(OutboxEntry)):
            row.next_attempt_at = utcnow() - timedelta(seconds=1)
            session.add(row)
    result = project.run("alerts", "deliver")
    assert result.exit_code == 1
    assert "warning: /dev/full: cannot write the alert log (disk full" in result.output
    assert "sent 0, failed 6, pending 6" in result.output


def test_log_rotates_and_repairs_a_torn_line(tmp_path: Path) -> None:
    path = tmp_path / "alerts.jsonl"
    path.write_text('{"torn": tr', encoding="utf-8")  # a line cut by a full disk
    lines = [json.dumps({"n": i, "pad": "x" * 200}) for i in range(12)]
    for line in lines:
        append_lines(path, [line], max_bytes=1024, backups=10)
    files = sorted(tmp_path.glob("alerts.jsonl*"))
    assert len(files) > 2
    kept = []
    for file in files:
        kept += file.read_text(encoding="utf-8").splitlines()
    assert '{"torn": tr' in kept
    parsed = [json.loads(x) for x in kept if x != '{"torn": tr']
    assert sorted(d["n"] for d in parsed) == list(range(12))
    assert all(f.stat().st_size <= 1024 for f in files)


def test_email_through_a_real_smtp_server(tmp_path: Path) -> None:
    with smtp_server(MailSink()) as sink:
        project = make_project(
            tmp_path,
            f'smtp_host = "127.0.0.1"\nsmtp_port = {sink.port}\nemail_to = ["desk@example.org"]',
        )
        seeded(project)
    assert len(sink.messages) == 6
    tat = [m for m in sink.messages if "KAZ -> RUS" in m and "summons" in m]
    assert tat and "tit-for-tat: answers summons" in tat[0]
    assert "To: desk@example.org" in sink.messages[0]


def test_silenced_alerts_are_logged_but_not_sent(tmp_path: Path) -> None:
    with webhook_server(WebhookSink()) as sink:
        project = make_project(tmp_path, f'webhook_url = "{sink.url}"')
        with project.store.session() as session:
            create_silence(
                session,
                duration=timedelta(hours=1),
                by="ops",
                signal="ambassador_dispute",
                pair="rus-kaz",
            )
        seeded(project)
    sent = sorted(json.loads(b)["alert"]["event"] for b in sink.delivered)
    assert sent == ["mobilization_exodus", "mobilization_point", "replacement_request"]
    docs = log_docs(project.settings.alert_log_path)
    assert len(docs) == 6
    muted = [d for d in docs if d["suppressed"]]
    assert {d["alert"]["event"] for d in muted} == KAZ_RUS_DISPUTES  # type: ignore[index]
    assert all(str(d["suppressed"]).startswith("silenced by #1 until") for d in muted)


def test_rethrottled_updates_are_logged_but_not_sent(tmp_path: Path) -> None:
    with webhook_server(WebhookSink()) as sink:
        project = make_project(tmp_path, f'webhook_url = "{sink.url}"\nthrottle = "1h"')
        seeded(project)
        assert len(sink.delivered) == 6
        text = (
            "Kolejne doniesienia: tysiące osób uciekających z Rosji"
            " przekraczają granicę z Kazachstanem."
        )
        hit = Hit(
            "Kolejne doniesienia",
            text,
            "mobilization_exodus",
            signal="border_mobilization",
            actor="RUS",
            target="KAZ",
            place_countries="RUS-KAZ",
            words=("uciekających",),
        )
        soon = utcnow() + timedelta(minutes=10)
        with project.store.session() as session:
            article = add_article(session, text, published=None, ingested=soon)
            article.published = "2022-09-28"
            article.published_at = datetime(2022, 9, 28, tzinfo=UTC)
            changes = raise_alerts(
                session,
                write_detections(session, [hit], min_article_id=article.id or 0),
                project.settings,
                now=soon,
            )
        assert [c.kind for c in changes] == ["merged"]
        deliver_due(project.store, project.settings, soon)
        assert len(sink.delivered) == 6  # throttled
        docs = log_docs(project.settings.alert_log_path)
        assert docs[-1]["kind"] == "merged" and str(docs[-1]["suppressed"]).startswith(
            "throttled: #"
        )
        assert docs[-1]["alert"]["num_articles"] == 3  # type: ignore[index]


def test_failing_notifiers_never_block_ingestion(tmp_path: Path) -> None:
    dead = "http://127.0.0.1:9/hook"  # discard port: connection refused
    project = make_project(tmp_path, f'log_path = "/dev/full"\nwebhook_url = "{dead}"')
    seeded(project)
    with project.store.session() as session:  # make every queued row due again
        for row in session.exec(select(OutboxEntry)):
            row.next_attempt_at = utcnow() - timedelta(seconds=1)
            session.add(row)
    extra = tmp_path / "more.txt"
    extra.write_text(" date 2024-05 Zwykły tekst bez żadnego zdarzenia.\n", encoding="utf-8")
    result = project.run("ingest", str(extra))
    assert result.exit_code == 0, result.output
    assert "cli: 1 new" in result.output
    rows = outbox(project, "log") + outbox(project, "webhook")
    assert len(rows) == 12 and all(r.status == "pending" for r in rows)
    assert {r.attempts for r in outbox(project, "log")} == {2}  # retried by the ingest pass
    assert outbox(project, "webhook")[0].last_error is not None
    assert "ConnectError" in str(outbox(project, "webhook")[0].last_error)
