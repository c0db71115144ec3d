"""The service: APScheduler wiring, signals, reload, readiness and watchdog.

Each enabled source is one APScheduler job that runs once at its row's ``next_check_at``
and, when done, schedules its next run (interval with jitter, or backoff), so the schedule
survives a restart. Checks run on a thread pool and fetches obey per-host limits, so one
slow or failing feed never delays the others. A heartbeat job on its own thread proves the
scheduler loop dispatches jobs and no worker is stuck; only then is ``WATCHDOG=1`` sent.
"""

from __future__ import annotations

import logging
import random
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor as FuturesPool
from datetime import UTC, datetime
from types import FrameType
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from monitor.alerts import deliver_due
from monitor.config import FeedSource, FilesSource, Settings
from monitor.errors import MonitorError
from monitor.models import utcnow
from monitor.notify import Notifier, watchdog_interval_s
from monitor.pipeline import CheckOutcome, Stages, check_source
from monitor.rulebook import Engine
from monitor.sources.fetch import Fetcher, FetchLimits
from monitor.store import Store
from monitor.store.schedule import SourceSpec, all_sources, sync_sources

log = logging.getLogger(__name__)

Source = FilesSource | FeedSource
RulesLoader = Callable[[Settings], object]
STOP_GRACE_S = 5.0
HEARTBEAT_S = 5.0
DELIVER_EVERY_S = 30.0  # retry timer for notifications that failed


def fetch_limits(settings: Settings) -> FetchLimits:
    """The ``[fetch]`` settings as the fetcher's limits."""
    f = settings.fetch
    return FetchLimits(
        connect_timeout_s=f.connect_timeout.total_seconds(),
        read_timeout_s=f.read_timeout.total_seconds(),
        deadline_s=f.deadline.total_seconds(),
        max_body_bytes=f.max_body_bytes,
        max_redirects=f.max_redirects,
        user_agent=f.user_agent,
        per_host=f.per_host,
    )


def source_spec(source: Source) -> SourceSpec:
    return SourceSpec(
        source.name,
        source.kind,
        source.location,
        int(source.interval.total_seconds()),
        source.enabled,
    )


class Daemon:
    """Polls every configured source on its schedule until told to stop."""

    def __init__(
        self,
        load_settings: Callable[[], Settings],
        store: Store,
        *,
        on_outcome: Callable[[CheckOutcome], None] = lambda _outcome: None,
        rules_loader: RulesLoader | None = None,
        notifier: Notifier | None = None,
    ) -> None:
        self._load_settings = load_settings
        self.settings = load_settings()
        self.store = store
        self.on_outcome = on_outcome
        self.rules_loader = rules_loader
        self.rules: object = rules_loader(self.settings) if rules_loader else None
        self.notifier = notifier or Notifier()
        self.cancel = threading.Event()
        self.fetcher = Fetcher(fetch_limits(self.settings), self.cancel)
        self._old_fetchers: list[Fetcher] = []
        self._rng = random.Random()
        self._stop = threading.Event()
        self._reload = threading.Event()
        self._running: dict[str, float] = {}
        self._idle = threading.Condition()
        self._scheduler: BackgroundScheduler | None = None
        self.checks = self.new_articles = self.failures = 0

    def stages(self) -> Stages:
        """The stages new articles go through, with the current settings and rules."""
        engine = self.rules if isinstance(self.rules, Engine) else None
        return Stages(settings=self.settings, engine=engine)

    def deliver(self) -> None:
        """Retry queued notifications (webhook, e-mail, log) that are due; never raises."""
        try:
            deliver_due(self.store, self.settings)
        except Exception:  # the outbox keeps every row: the next run retries
            log.exception("delivering notifications failed; they stay queued")

    # --- one pass -------------------------------------------------------------------
    def run_once(self) -> list[CheckOutcome]:
        """Check every enabled source that is due now, in parallel, and return the outcomes."""
        self._sync()
        due = self._due_sources(utcnow())
        with FuturesPool(self.settings.fetch.workers, thread_name_prefix="check") as pool:
            return list(pool.map(self._check, due))

    # --- the service ----------------------------------------------------------------
    def serve(self) -> bool:
        """Run until SIGTERM/SIGINT; False when work was still in hand after the grace time."""
        self._install_signals()
        self._sync()
        workers = self.settings.fetch.workers
        self._scheduler = BackgroundScheduler(
            executors={
                "default": ThreadPoolExecutor(workers),
                "heartbeat": ThreadPoolExecutor(1),
            },
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
            timezone=UTC,
        )
        for source in self._enabled_sources():
            self._schedule(source.name, self._next_time(source.name))
        beat = min(HEARTBEAT_S, watchdog_interval_s() or HEARTBEAT_S)
        self._scheduler.add_job(
            self.heartbeat, "interval", seconds=beat, id="heartbeat", executor="heartbeat"
        )
        self._scheduler.add_job(
            self.deliver, "interval", seconds=DELIVER_EVERY_S, id="deliver", executor="heartbeat"
        )
        self._scheduler.start()
        self.notifier.ready(self.status_line())
        log.info("service started: %s", self.status_line())
        while not self._stop.is_set():
            self._stop.wait(0.2)
            if self._reload.is_set():
                self._reload.clear()
                self.reload()
        return self._shutdown()

    def request_stop(self) -> None:
        self._stop.set()

    def request_reload(self) -> None:
        self._reload.set()

    def reload(self) -> bool:
        """Re-read config (and rules): keep the running set when the new one has errors."""
        try:
            new = self._load_settings()
        except MonitorError as exc:
            log.error("reload: config has errors, keeping the running one: %s", exc)
            return False
        if new.database_url != self.settings.database_url:
            log.warning("reload: database_url changed; restart the service to apply it")
            new = new.model_copy(update={"database_url": self.settings.database_url})
        if self.rules_loader is not None:
            try:
                self.rules = self.rules_loader(new)
            except Exception as exc:  # any loader failure: keep the last good rules
                log.error("reload: rules have errors, keeping the last good set: %s", exc)
        if new.fetch != self.settings.fetch:
            self._old_fetchers.append(self.fetcher)
            self.fetcher = Fetcher(fetch_limits(new), self.cancel)
        old_names = {s.name for s in self._enabled_sources()}
        self.settings = new
        self._sync()
        if self._scheduler is not None:
            names = {s.name for s in self._enabled_sources()}
            for gone in old_names - names:
                if self._scheduler.get_job(f"source:{gone}"):
                    self._scheduler.remove_job(f"source:{gone}")
            for added in names - old_names:
                self._schedule(added, self._next_time(added))
        log.info("reloaded: %s", self.status_line())
        self.notifier.status(self.status_line())
        return True

    def status_line(self) -> str:
        sources = self._enabled_sources()
        return (
            f"{len(sources)} sources, {self.checks} checks, {self.new_articles} new articles, "
            f"{self.failures} failed checks"
        )

    # --- internals ------------------------------------------------------------------
    def _enabled_sources(self) -> list[Source]:
        return [s for s in self.settings.effective_sources() if s.enabled]

    def _find(self, name: str) -> Source | None:
        return next((s for s in self._enabled_sources() if s.name == name), None)

    def _sync(self) -> None:
        with self.store.session() as session:
            sync_sources(session, [source_spec(s) for s in self.settings.effective_sources()])

    def _next_times(self) -> dict[str, datetime | None]:
        with self.store.session(readonly=True) as session:
            return {row.name: row.next_check_at for row in all_sources(session)}

    def _next_time(self, name: str) -> datetime:
        now = utcnow()
        when = self._next_times().get(name)
        return max(when, now) if when else now

    def _due_sources(self, now: datetime) -> list[Source]:
        times = self._next_times()
        return [s for s in self._enabled_sources() if (times.get(s.name) or now) <= now]

    def _schedule(self, name: str, when: datetime) -> None:
        assert self._scheduler is not None
        self._scheduler.add_job(
            self._job,
            "date",
            run_date=when,
            args=[name],
            id=f"source:{name}",
            name=name,
            replace_existing=True,
        )

    def _job(self, name: str) -> None:
        source = self._find(name)
        if source is None or self._stop.is_set():
            return
        outcome = self._check(source)
        if not outcome.cancelled and not self._stop.is_set() and self._find(name) is not None:
            self._schedule(name, outcome.next_check_at or utcnow() + source.interval)

    def _check(self, source: Source) -> CheckOutcome:
        with self._idle:
            self._running[source.name] = time.monotonic()
        try:
            outcome = check_source(
                self.store,
                source,
                self.fetcher,
                backoff_ceiling=self.settings.fetch.backoff_ceiling,
                rng=self._rng,
                stages=self.stages(),
            )
            with self._idle:
                self.checks += 1
                self.new_articles += outcome.report.new
                self.failures += outcome.error is not None
            try:
                self.on_outcome(outcome)
            except Exception:  # a broken stdout must not stop the schedule
                log.exception("cannot report the check of %s", source.name)
            return outcome
        finally:
            with self._idle:
                del self._running[source.name]
                self._idle.notify_all()

    def heartbeat(self) -> None:
        """Runs on its own thread: proof the scheduler dispatches; withheld if a worker hangs."""
        limit = self.settings.fetch.deadline.total_seconds() * 2 + 30
        now = time.monotonic()
        with self._idle:
            stuck = [name for name, start in self._running.items() if now - start > limit]
        if stuck:
            log.error("no progress: checks of %s are stuck; withholding WATCHDOG=1", stuck)
            return
        self.notifier.watchdog()
        self.notifier.status(self.status_line())

    def _install_signals(self) -> None:
        def stop(signum: int, _frame: FrameType | None) -> None:
            log.info("received %s, stopping", signal.Signals(signum).name)
            self._stop.set()

        def reload(_signum: int, _frame: FrameType | None) -> None:
            self._reload.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGHUP, reload)

    def _shutdown(self) -> bool:
        self.notifier.stopping(f"stopping: {self.status_line()}")
        self.cancel.set()  # in-flight fetches give up within a fraction of a second
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
        deadline = time.monotonic() + STOP_GRACE_S
        with self._idle:
            while self._running and time.monotonic() < deadline:
                self._idle.wait(deadline - time.monotonic())
            clean = not self._running
            if not clean:
                log.warning("stopping with checks still in hand: %s", sorted(self._running))
        for fetcher in [self.fetcher, *self._old_fetchers]:
            fetcher.close()
        log.info("service stopped: %s", self.status_line())
        return clean

    def install_once_signals(self) -> None:
        """In ``--once`` mode a stop request cancels in-flight fetches."""

        def stop(_signum: int, _frame: Any) -> None:
            self.cancel.set()
            self._stop.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
