"""Pure formatting of alerts for review: table, JSON Lines, CSV, one alert's detail."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from monitor.alerts.queries import AlertDetail, RuleStats
from monitor.alerts.records import alert_record
from monitor.models import Alert, Detection
from monitor.review.safe import clean

CSV_FIELDS = (
    "id",
    "status",
    "severity",
    "signal",
    "event",
    "cameo",
    "actor",
    "target",
    "subject",
    "place",
    "place_countries",
    "pair",
    "ladder_step",
    "weight",
    "tit_for_tat",
    "raised_reason",
    "num_articles",
    "num_sources",
    "event_date",
    "first_seen",
    "last_seen",
    "verdict",
)
MARK_OPEN, MARK_CLOSE = "**", "**"
SHORT_STATUS = {"acknowledged": "ack"}  # keeps the table within 80 columns


def roles(alert: Alert) -> str:
    """``RUS -> KAZ about UKR at Astrakhan oblast (RUS-KAZ)``."""
    text = f"{alert.actor or '?'} -> {alert.target or '?'}"
    if alert.subject:
        text += f" about {alert.subject}"
    if alert.place:
        text += f" at {clean(alert.place)}"
    if alert.place_countries:
        text += f" ({alert.place_countries})"
    return text


def format_alert_line(kind: str, alert: Alert) -> str:
    """One line per alert change: ``alert #4 new summons KAZ -> RUS tit-for-tat sev 3.0``."""
    flags = " tit-for-tat" if alert.tit_for_tat else ""
    return (
        f"alert #{alert.id} {kind} {alert.event} {roles(alert)}{flags} "
        f"severity {alert.severity:.1f}, {alert.num_articles} article(s)"
    )


def format_detection_line(source: str, detection: Detection) -> str:
    """One line per new detection: ``det  [seeds] #1 summons RUS -> KAZ (announced)``."""
    roles_text = f"{detection.actor or '?'} -> {detection.target or '?'}"
    if detection.subject:
        roles_text += f" about {detection.subject}"
    if detection.place:
        roles_text += f" at {clean(detection.place)}"
    return (
        f"det  [{clean(source)}] #{detection.article_id} {detection.event} {roles_text} "
        f"({detection.modality}) rule {detection.rule_id}"
    )


def period(alert: Alert) -> str:
    """The event interval as inclusive days: ``2022-09-01 to 2022-10-31``."""
    first, last = alert.first_seen, alert.last_seen
    if last > first:
        last -= timedelta(microseconds=1)  # intervals end exclusively
    start, end = f"{first:%Y-%m-%d}", f"{last:%Y-%m-%d}"
    return start if start == end else f"{start} to {end}"


def format_json_lines(records: Sequence[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records)


def format_csv(alerts: Sequence[Alert]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for alert in alerts:
        writer.writerow(alert_record(alert))
    return out.getvalue()


def format_alert_table(alerts: Sequence[Alert]) -> Table:
    """Newest first, as given: id, status, severity, event, roles, counts, dates."""
    table = Table(
        title=f"{len(alerts)} alert(s)",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    table.add_column("id", justify="right", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("sev", justify="right", no_wrap=True)
    table.add_column("event", no_wrap=True, min_width=19)
    table.add_column("roles", overflow="fold", min_width=12, ratio=1)
    table.add_column("step", justify="right", no_wrap=True)
    table.add_column("art", justify="right", no_wrap=True)
    table.add_column("src", justify="right", no_wrap=True)
    table.add_column("date", no_wrap=True)
    for a in alerts:
        event = a.event + ("\n(tit-for-tat)" if a.tit_for_tat else "")
        table.add_row(
            str(a.id),
            SHORT_STATUS.get(a.status, a.status),
            f"{a.severity:.1f}",
            Text(event),
            Text(roles(a)),
            str(a.ladder_step or "-"),
            str(a.num_articles),
            str(a.num_sources),
            a.event_date or a.first_seen.date().isoformat(),
        )
    return table


def highlight(sentence: str, offset: int, matched: str, plain: bool) -> Text:
    """The evidence sentence with its matched words highlighted (marked with ** if plain)."""
    spans: list[tuple[int, int]] = []
    try:
        hits = json.loads(matched or "[]")
    except json.JSONDecodeError:
        hits = []
    for hit in hits if isinstance(hits, list) else []:
        if isinstance(hit, dict) and isinstance(hit.get("start"), int):
            end_at = hit.get("end")
            start = hit["start"] - offset
            end = (end_at if isinstance(end_at, int) else hit["start"]) - offset
            if 0 <= start < end <= len(sentence):
                spans.append((start, end))
    text = Text()
    pos = 0
    for start, end in sorted(set(spans)):
        if start < pos:
            continue  # overlapping hits: the first one wins
        text.append(clean(sentence[pos:start]))
        word = clean(sentence[start:end])
        text.append(f"{MARK_OPEN}{word}{MARK_CLOSE}" if plain else word, style="bold reverse")
        pos = end
    text.append(clean(sentence[pos:]))
    return text


def format_alert_detail(detail: AlertDetail, *, plain: bool) -> Group:
    """Everything about one alert: event, roles, place, ladder, evidence, history."""
    a = detail.alert
    rec = alert_record(a)
    lines: list[Text] = [
        Text(f"Alert #{a.id}  {a.event}  [{a.status}]  severity {a.severity:.1f}", style="bold"),
        Text(f"signal: {a.signal}   event: {a.event}   CAMEO: {rec['cameo'] or '-'}"),
        Text(f"actor: {a.actor or '-'}   target: {a.target or '-'}   subject: {a.subject or '-'}"),
        Text(f"place: {clean(a.place) or '-'}   border: {a.place_countries or '-'}"),
        Text(f"pair: {a.pair or '-'}   ladder step: {a.ladder_step or '-'}   weight: {a.weight}"),
        Text(f"tit-for-tat: {'yes' if a.tit_for_tat else 'no'}   raised: {a.raised_reason or '-'}"),
        Text(
            f"articles: {a.num_articles}   sources: {a.num_sources}   date: {a.event_date or '-'}"
            f"   period: {period(a)}"
        ),
        Text(f"verdict: {a.verdict or '-'}"),
        Text(""),
        Text(f"Evidence ({len(detail.evidence)}):", style="bold"),
    ]
    for ev in detail.evidence:
        art = ev.article
        dup = f"  (near-duplicate of article {ev.duplicate_of})" if ev.duplicate_of else ""
        head = Text(f"- article {art.id}  {art.published or '-'}  {clean(ev.source)}  ")
        head.append(clean(art.title), style="italic")
        head.append(dup)
        lines.append(head)
        lines.append(
            Text(f"  {ev.detection.modality}  rule {ev.detection.rule_id}  {clean(art.url) or ''}")
        )
        lines.append(
            Text("  ")
            + highlight(
                ev.detection.evidence_sentence,
                ev.detection.evidence_start,
                ev.detection.matched,
                plain,
            )
        )
    if detail.history:
        lines += [Text(""), Text("History:", style="bold")]
        for h in detail.history:
            verdict = f" verdict={h.verdict}" if h.verdict else ""
            note = f": {clean(h.note)}" if h.note else ""
            lines.append(
                Text(
                    f"- {h.at:%Y-%m-%d %H:%M} {h.action} by {clean(h.by)} "
                    f"{h.from_status} -> {h.to_status}{verdict}{note}"
                )
            )
    if detail.notifications:
        lines += [Text(""), Text("Notifications:", style="bold")]
        for n in detail.notifications:
            state = n.status if n.status == "sent" else f"{n.status} after {n.attempts} attempt(s)"
            error = f": {clean(n.last_error)}" if n.last_error and n.status != "sent" else ""
            lines.append(
                Text(f"- {n.created_at:%Y-%m-%d %H:%M} {n.kind} -> {n.channel} {state}{error}")
            )
    return Group(*lines)


def format_rule_stats(stats: Sequence[RuleStats]) -> Table:
    table = Table(title=f"{len(stats)} rule(s)", title_justify="left")
    for name in ("rule", "detections", "alerts", "confirmed", "dismissed", "duplicates"):
        table.add_column(name, justify="left" if name == "rule" else "right")
    table.add_column("precision", justify="right")
    for s in stats:
        precision = "-" if s.precision is None else f"{s.precision:.2f}"
        table.add_row(
            Text(s.rule_id),
            str(s.detections),
            str(s.alerts),
            str(s.confirmed),
            str(s.dismissed),
            str(s.duplicates),
            precision,
        )
    return table


def rule_stats_records(stats: Sequence[RuleStats]) -> list[dict[str, Any]]:
    return [
        {
            "rule_id": s.rule_id,
            "detections": s.detections,
            "alerts": s.alerts,
            "confirmed": s.confirmed,
            "dismissed": s.dismissed,
            "duplicates": s.duplicates,
            "precision": s.precision,
        }
        for s in stats
    ]
