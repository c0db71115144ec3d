"""Shared helpers for the alert tests: a configured project, the seeds, detections.

Until the rule engine lands, detections are written as the engine would write them:
one row per rule hit, the evidence sentence located in the stored article text, and the
matched words as character offsets into that text.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from click.testing import CliRunner, Result
from sqlmodel import Session, col, select

from monitor.cli import main
from monitor.config import FilesSource, Settings, bundled_seeds_dir, load_settings
from monitor.models import Article, Detection, Source
from monitor.pipeline import ingest_files_source
from monitor.store import Store, open_store


@dataclass(frozen=True)
class Project:
    """A config file, its settings and its database in a temp folder."""

    root: Path
    config: Path
    settings: Settings
    store: Store

    def run(self, *args: str, input: str | None = None) -> Result:
        """Run ``monitor ARGS --config <ours>``."""
        return CliRunner().invoke(main, [*args, "--config", str(self.config)], input=input)


def make_project(root: Path, alerts_toml: str = "") -> Project:
    config = root / "monitor.toml"
    config.write_text(
        'database_url = "sqlite:///state/monitor.db"\nstate_dir = "state"\n'
        f"\n[alerts]\n{alerts_toml}\n",
        encoding="utf-8",
    )
    settings = load_settings(config)
    return Project(root, config, settings, open_store(settings.database_url))


@dataclass(frozen=True)
class Hit:
    """One detection to write: which article, which sentence, roles, matched words."""

    article_contains: str
    sentence: str
    event: str
    signal: str = "ambassador_dispute"
    actor: str | None = None
    target: str | None = None
    subject: str | None = None
    place: str | None = None
    place_countries: str | None = None
    modality: str = "asserted"
    words: Sequence[str] = ()
    rule_id: str | None = None


def write_detections(
    session: Session, hits: Sequence[Hit], lang: str = "pl", min_article_id: int = 0
) -> list[Detection]:
    """Detections as the engine stores them, located in every article holding the text."""
    out: list[Detection] = []
    for hit in hits:
        articles = session.exec(
            select(Article).where(
                col(Article.text).contains(hit.article_contains),
                col(Article.id) >= min_article_id,
            )
        ).all()
        assert articles, f"no article contains {hit.article_contains!r}"
        for article in articles:
            start = article.text.index(hit.sentence)
            matched = []
            for word in hit.words:
                at = article.text.index(word, start, start + len(hit.sentence))
                matched.append({"term": word, "start": at, "end": at + len(word)})
            det = Detection(
                article_id=article.id or 0,
                rule_id=hit.rule_id or f"{hit.signal}.{hit.event}",
                rule_version="test",
                signal=hit.signal,
                event=hit.event,
                modality=hit.modality,
                lang=lang,
                actor=hit.actor,
                target=hit.target,
                subject=hit.subject,
                place=hit.place,
                place_countries=hit.place_countries,
                severity=0.0,
                evidence_sentence=hit.sentence,
                evidence_start=start,
                evidence_end=start + len(hit.sentence),
                matched=json.dumps(matched, ensure_ascii=False),
            )
            session.add(det)
            out.append(det)
    session.flush()
    return out


def add_article(
    session: Session,
    text: str,
    *,
    source: str = "test",
    published: datetime | None = None,
    ingested: datetime | None = None,
    title: str | None = None,
) -> Article:
    """An article stored directly (for tests that need control over its dates)."""
    row = session.exec(select(Source).where(Source.name == source)).first()
    if row is None:
        row = Source(name=source, kind="files", location="test")
        session.add(row)
        session.flush()
    article = Article(
        source_id=row.id or 0,
        identity=f"{source}-{abs(hash((text, published, ingested)))}",
        content_hash=str(abs(hash(text))),
        origin="test",
        title=title or text[:60],
        text=text,
        lang="pl",
        published=published.date().isoformat() if published else None,
        published_at=published,
    )
    if ingested is not None:
        article.ingested_at = ingested
    session.add(article)
    session.flush()
    return article


SEED_000 = "Żądania Rosji, by Kazachstan wydalił"
SEED_001 = "Większość osób uciekających z Rosji"

# The six events DOMAIN.md lists for the two seeds, as the engine is to detect them.
SEED_HITS = (
    Hit(
        SEED_000,
        "Żądania Rosji, by Kazachstan wydalił z kraju ukraińskiego ambasadora, są niezgodne"
        " z charakterem sojuszniczych relacji Astany i Moskwy jako równorzędnych"
        " strategicznych partnerów - oświadczył rzecznik MSZ Kazachstanu Ajbek Smadijarow,"
        " cytowany w środę przez agencję Reutera.",
        "expulsion_demand",
        actor="RUS",
        target="KAZ",
        subject="UKR",
        modality="demanded",
        words=("Żądania", "Rosji", "Kazachstan", "wydalił", "ukraińskiego ambasadora"),
    ),
    Hit(
        SEED_000,
        "Po tym stwierdzeniu dyplomaty Kreml zażądał od Astany wydalenia ambasadora.",
        "expulsion_demand",
        actor="RUS",
        target="KAZ",
        subject="UKR",
        modality="demanded",
        words=("Kreml", "zażądał", "Astany", "wydalenia", "ambasadora"),
    ),
    Hit(
        SEED_000,
        "Władze Kazachstanu zdecydowały się na mniej radykalne rozwiązanie, zwracając się do"
        " Kijowa z prośbą o wyznaczenie nowego szefa ukraińskiej placówki.",
        "replacement_request",
        actor="KAZ",
        target="UKR",
        words=("Kazachstanu", "Kijowa", "wyznaczenie", "nowego szefa", "placówki"),
    ),
    Hit(
        SEED_000,
        'Rzeczniczka MSZ Rosji Maria Zacharowa oznajmiła, że jest "oburzona" postawą Astany'
        " i powiadomiła, że ambasador Kazachstanu zostanie wezwany do rosyjskiego"
        " ministerstwa na rozmowę.",
        "summons",
        actor="RUS",
        target="KAZ",
        modality="announced",
        words=("ambasador Kazachstanu", "zostanie wezwany", "rosyjskiego ministerstwa"),
    ),
    Hit(
        SEED_000,
        "Smadijarow zapowiedział, że władze Kazachstanu postąpią analogicznie i wezwą do MSZ"
        " szefa rosyjskiej misji w tym kraju.",
        "summons",
        actor="KAZ",
        target="RUS",
        modality="announced",
        words=("Kazachstanu", "wezwą", "MSZ", "szefa rosyjskiej misji"),
    ),
    Hit(
        SEED_000,
        "29 września niezależne media powiadomiły, że na przejściu granicznym z Kazachstanem"
        " w obwodzie astrachańskim, w południowo-zachodniej Rosji, powstaje punkt"
        " mobilizacyjny.",
        "mobilization_point",
        signal="border_mobilization",
        actor="RUS",
        place="Astrakhan oblast",
        place_countries="RUS-KAZ",
        words=(
            "przejściu granicznym",
            "Kazachstanem",
            "obwodzie astrachańskim",
            "punkt mobilizacyjny",
        ),
    ),
    Hit(
        SEED_000,
        "Po ogłoszeniu w Rosji 21 września częściowej mobilizacji na wojnę z Ukrainą, setki"
        " tysięcy Rosjan próbują uciec przed poborem do wojska i przedostać się m.in. do"
        " Kazachstanu.",
        "mobilization_exodus",
        signal="border_mobilization",
        actor="RUS",
        target="KAZ",
        place_countries="RUS-KAZ",
        words=("mobilizacji", "Rosjan", "uciec przed poborem", "Kazachstanu"),
    ),
    Hit(
        SEED_001,
        "Większość osób uciekających z Rosji do Kazachstanu jest do tego zmuszona",
        "mobilization_exodus",
        signal="border_mobilization",
        actor="RUS",
        target="KAZ",
        place_countries="RUS-KAZ",
        words=("uciekających", "Rosji", "Kazachstanu"),
    ),
    Hit(
        SEED_001,
        "Osoby uciekające przed służbą w armii starają się przedostać m.in. do Kazachstanu,"
        " Mongolii, Gruzji i Finlandii.",
        "mobilization_exodus",
        signal="border_mobilization",
        actor="RUS",
        words=("uciekające przed służbą w armii", "Kazachstanu", "Mongolii", "Gruzji"),
    ),
)


def detect_seed_events(project: Project) -> list[int]:
    """Store the seed detections (unless the engine already did) and raise their alerts."""
    from monitor.alerts import deliver_due, raise_alerts

    with project.store.session() as session:
        existing = session.exec(select(Detection)).all()
        dets = list(existing) or write_detections(session, SEED_HITS)
        changes = raise_alerts(session, dets, project.settings)
    deliver_due(project.store, project.settings)
    return [c.alert_id for c in changes]


def seed_alerts(project: Project) -> None:
    """The seeds stored by the pipeline without the rule engine, with the detections above.

    For tests of what alerts do, independent of what the engine finds; the seed test
    (test_alerts_seeds) goes through ``monitor ingest`` and uses the engine when present.
    """
    source = FilesSource(name="seeds", path=str(bundled_seeds_dir() / "*.txt"), language="pl")
    assert ingest_files_source(project.store, source).new == 2
    detect_seed_events(project)


def alerts_json(project: Project, *args: str) -> list[dict[str, object]]:
    result = project.run("alerts", "list", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines() if line.strip()]
