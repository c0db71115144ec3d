"""The dashboard's rich renderables, sized to the terminal; untrusted text stays literal."""

from __future__ import annotations

from datetime import datetime

from rich.console import Group, RenderableType
from rich.layout import Layout
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from monitor.dashboard.snapshot import PairRow, Snapshot
from monitor.models import Source
from monitor.review.safe import clean

BARS = "▁▂▃▄▅▆▇█"
WIDE = 120


def sparkline(values: list[float]) -> str:
    """One bar character per value, scaled to the largest; blank weeks as a low dot."""
    top = max(values, default=0.0)
    if top <= 0:
        return "·" * len(values)
    return "".join(
        "·" if v <= 0 else BARS[min(len(BARS) - 1, int(v / top * (len(BARS) - 1)))] for v in values
    )


def _severity_style(severity: float) -> str:
    return "bold red" if severity >= 7 else "yellow" if severity >= 4 else "cyan"


def alerts_table(snap: Snapshot, rows: int, wide: bool) -> Table:
    table = Table(expand=True, box=None, padding=(0, 1), show_edge=False)
    table.add_column("sev", justify="right", no_wrap=True, width=4)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("event", no_wrap=True, overflow="ellipsis")
    table.add_column("roles", no_wrap=True, overflow="ellipsis")
    table.add_column("n", justify="right", no_wrap=True)
    if wide:
        table.add_column("status", no_wrap=True)
        table.add_column("date", no_wrap=True)
    table.add_column("title", no_wrap=True, overflow="ellipsis", ratio=1)
    for alert, title in snap.alerts[:rows]:
        event = (
            alert.event
            + (" ⇄" if alert.tit_for_tat else "")
            + (" ↑" if alert.raised_reason else "")
        )
        who = f"{alert.actor or '?'}→{alert.target or '?'}"
        if alert.place_countries and not alert.target:
            who = f"{alert.actor or '?'}@{alert.place_countries}"
        cells: list[RenderableType] = [
            Text(f"{alert.severity:.1f}", style=_severity_style(alert.severity)),
            str(alert.id),
            Text(event),
            Text(who),
            str(alert.num_articles),
        ]
        if wide:
            cells += [alert.status, alert.event_date or f"{alert.first_seen:%Y-%m-%d}"]
        cells.append(Text(clean(title)))
        table.add_row(*cells)
    if not snap.alerts:
        table.add_row(
            "", "", Text("no open alerts", style="dim"), "", "", *([""] * (3 if wide else 1))
        )
    return table


def pairs_table(pairs: list[PairRow], rows: int) -> Table:
    table = Table(expand=True, box=None, padding=(0, 1), show_edge=False)
    weeks = len(pairs[0].series) if pairs else 0
    table.add_column("pair", no_wrap=True, min_width=7)
    table.add_column("step", justify="right", no_wrap=True, min_width=4)
    table.add_column("weeks", no_wrap=True, min_width=weeks)
    table.add_column("last", no_wrap=True, overflow="ellipsis", ratio=1)
    for p in pairs[:rows]:
        table.add_row(
            p.pair, str(p.top_step or "-"), Text(sparkline(p.series), style="magenta"), p.last_event
        )
    return table


def _ago(now: datetime, then: datetime | None) -> str:
    if then is None:
        return "never"
    seconds = int((now - then).total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if abs(seconds) >= size:
            return (
                f"{seconds // size}{unit} ago" if seconds >= 0 else f"in {-seconds // size}{unit}"
            )
    return f"{seconds}s ago" if seconds >= 0 else f"in {-seconds}s"


def sources_table(sources: list[Source], now: datetime, rows: int) -> Table:
    table = Table(expand=True, box=None, padding=(0, 1), show_edge=False)
    table.add_column("source", no_wrap=True, overflow="ellipsis")
    table.add_column("ok", no_wrap=True)
    table.add_column("err", justify="right", no_wrap=True)
    table.add_column("next check / error", no_wrap=True, overflow="ellipsis", ratio=1)
    for s in sources[:rows]:
        if s.error_count:  # in backoff: when it tries again, then why it failed
            state = Text(f"{_ago(now, s.next_check_at)}: ", style="red")
            state.append(clean(s.last_error))
        else:
            state = Text(_ago(now, s.next_check_at) if s.next_check_at else "-")
        table.add_row(
            Text(clean(s.name)),
            _ago(now, s.last_success_at),
            str(s.error_count),
            state,
        )
    return table


def counts_text(snap: Snapshot, wide: bool) -> Text:
    """Throughput: how many articles, detections, alerts in the last hour and day."""
    text = Text()
    for name, (hour, day) in snap.counts.items():
        text.append(f"{name if wide else name[:3]} ", style="bold")
        text.append(f"{hour}/h {day}/d  ")
    return text


def render(snap: Snapshot, width: int, height: int) -> RenderableType:
    """The whole screen for a terminal of this size."""
    wide = width >= WIDE
    stamp = f"{snap.taken_at:%Y-%m-%d %H:%M:%S} UTC" if wide else f"{snap.taken_at:%H:%M:%S}"
    header = Text(f" monitor {stamp} · ", style="bold reverse")
    header.append_text(counts_text(snap, wide))
    body_h = max(6, height - 1)
    alerts_h = max(4, body_h // 2 + (2 if height > 30 else 0))
    bottom_h = max(4, body_h - alerts_h)
    layout = Layout()
    layout.split_column(
        Layout(header, size=1), Layout(name="alerts", size=alerts_h), Layout(name="bottom")
    )
    layout["alerts"].update(
        Panel(
            alerts_table(snap, alerts_h - 3, wide),
            title="open alerts by severity",
            title_align="left",
        )
    )
    weeks = len(snap.pairs[0].series) if snap.pairs else 0
    layout["bottom"].split_row(
        Layout(
            Panel(
                pairs_table(snap.pairs, bottom_h - 3),
                title=f"escalation ({weeks}w to {snap.weeks_end:%Y-%m-%d})",
                title_align="left",
            ),
            ratio=1,
        ),
        Layout(
            Panel(
                sources_table(snap.sources, snap.taken_at, bottom_h - 3),
                title="sources",
                title_align="left",
            ),
            ratio=1,
        ),
    )
    return layout


def render_error(message: str) -> RenderableType:
    return Group(Text("monitor dashboard", style="bold"), Text(clean(message), style="red"))
