"""Merging detections into event alerts: window, roles, near-duplicates, ladder, bursts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlmodel import select

from monitor.alerts import raise_alerts
from monitor.alerts.merge import AlertChange
from monitor.models import Alert
from tests.alerts_support import Hit, Project, add_article, make_project, write_detections

DAY = datetime(2024, 3, 10, 12, tzinfo=UTC)
STORY = (
    "Rosja wydaliła dwóch polskich dyplomatów w odpowiedzi na decyzję Warszawy. "
    "Ministerstwo spraw zagranicznych w Moskwie poinformowało o tym w komunikacie, "
    "podając, że dyplomaci mają opuścić kraj w ciągu tygodnia. Warszawa zapowiedziała "
    "odpowiedź i wezwała rosyjskiego chargé d'affaires."
)
SENTENCE = "Rosja wydaliła dwóch polskich dyplomatów w odpowiedzi na decyzję Warszawy."


def expulsion(**roles: str | None) -> Hit:
    base: dict[str, str | None] = {"actor": "RUS", "target": "POL"}
    base.update(roles)
    return Hit("Rosja wydaliła", SENTENCE, "expulsion", words=("wydaliła",), **base)  # type: ignore[arg-type]


def report(
    project: Project,
    hit: Hit,
    *,
    published: datetime = DAY,
    text: str = STORY,
    source: str = "agency",
    ingested: datetime | None = None,
) -> list[AlertChange]:
    """One article carrying one detection, raised on its own."""
    with project.store.session() as session:
        article = add_article(session, text, source=source, published=published, ingested=ingested)
        dets = write_detections(session, [hit], min_article_id=article.id or 0)
        return raise_alerts(session, dets, project.settings, now=ingested)


def alerts(project: Project) -> list[Alert]:
    with project.store.session() as session:
        return list(session.exec(select(Alert).order_by(Alert.id)))  # type: ignore[arg-type]


def test_same_event_within_the_window_merges_and_counts_sources(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    first = report(project, expulsion())
    second = report(
        project, expulsion(), published=DAY + timedelta(days=6), text=STORY + " (2)", source="tv"
    )
    assert [c.kind for c in first] == ["new"]
    assert second == []  # linked as evidence, but a near-duplicate says nothing new
    (alert,) = alerts(project)
    # a copy with a trailing mark is a near-duplicate: one article, from its first source
    assert (alert.num_articles, alert.num_sources) == (1, 1)
    other = "Moskwa ogłosiła, że dwaj pracownicy ambasady RP muszą wyjechać. " * 3
    report(
        project,
        expulsion(),
        published=DAY + timedelta(days=3),
        text=SENTENCE + " " + other,
        source="radio",
    )
    (alert,) = alerts(project)
    assert (alert.num_articles, alert.num_sources) == (2, 2)


def test_outside_the_window_is_a_new_event(tmp_path: Path) -> None:
    project = make_project(tmp_path, 'merge_window = "3d"')
    report(project, expulsion())
    report(project, expulsion(), published=DAY + timedelta(days=5), text=STORY + " Nowa fala.")
    assert [a.num_articles for a in alerts(project)] == [1, 1]


def test_other_roles_do_not_merge(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    report(project, expulsion())
    report(project, expulsion(target="LTU"), text=STORY + " Litwa.")
    report(project, expulsion(actor="BLR"), text=STORY + " Białoruś.")
    assert [(a.actor, a.target) for a in alerts(project)] == [
        ("RUS", "POL"),
        ("RUS", "LTU"),
        ("BLR", "POL"),
    ]


def test_missing_role_merges_when_unambiguous_and_is_filled_in(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    report(project, expulsion(target=None))
    report(project, expulsion(), text=STORY + " Druga wersja, z celem.")
    (alert,) = alerts(project)
    assert (alert.actor, alert.target, alert.key) == (
        "RUS",
        "POL",
        "ambassador_dispute/expulsion/RUS/POL/-/-",
    )


def test_missing_role_with_two_candidates_opens_its_own_alert(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    report(project, expulsion())
    report(project, expulsion(target="LTU"), text=STORY + " Litwa.")
    report(project, expulsion(target=None), text=STORY + " Nie wiadomo kogo.")
    assert [a.target for a in alerts(project)] == ["POL", "LTU", None]
    # and the next detection with no target joins that exact one
    report(project, expulsion(target=None), text=STORY + " Znowu nie wiadomo kogo.")
    assert [a.target for a in alerts(project)] == ["POL", "LTU", None]


def test_month_precision_dates_span_the_month(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    with project.store.session() as session:
        a = add_article(session, STORY, published=datetime(2022, 9, 1, tzinfo=UTC))
        a.published = "2022-09"
        b = add_article(
            session,
            SENTENCE + " Inny tekst w październiku.",
            published=datetime(2022, 10, 1, tzinfo=UTC),
        )
        b.published = "2022-10"
        c = add_article(
            session,
            SENTENCE + " Jeszcze inny, w grudniu.",
            published=datetime(2022, 12, 1, tzinfo=UTC),
        )
        c.published = "2022-12"
        raise_alerts(session, write_detections(session, [expulsion()]), project.settings)
    assert [(x.num_articles, x.event_date) for x in alerts(project)] == [
        (2, "2022-09"),
        (1, "2022-12"),
    ]


def test_ladder_move_and_tit_for_tat(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    summons = Hit("Rosja wydaliła", SENTENCE, "summons", actor="POL", target="RUS")
    report(project, summons)
    report(project, expulsion(), published=DAY + timedelta(days=1), text=STORY + " Potem.")
    answer = Hit("Rosja wydaliła", SENTENCE, "expulsion", actor="POL", target="RUS")
    report(project, answer, published=DAY + timedelta(days=2), text=STORY + " Odpowiedź.")
    late = Hit("Rosja wydaliła", SENTENCE, "summons", actor="RUS", target="POL")
    report(project, late, published=DAY + timedelta(days=40), text=STORY + " Po miesiącu.")
    first, up, mirror, old_mirror = alerts(project)
    assert (first.severity, first.raised_reason) == (2.0, None)
    assert up.raised_reason == "moves POL-RUS up the ladder from step 2 to 4"
    assert (up.severity, up.tit_for_tat) == (6.0, False)
    assert (
        mirror.tit_for_tat
        and mirror.raised_reason == f"tit-for-tat: answers expulsion #{up.id} (RUS -> POL)"
    )
    assert not old_mirror.tit_for_tat  # 40 days later is past the 14-day mirror window


def test_burst_above_the_baseline_raises_its_own_alert(tmp_path: Path) -> None:
    project = make_project(tmp_path, "burst_min_count = 3\nburst_days = 7")
    now = datetime(2024, 3, 20, 15, tzinfo=UTC)
    for day in range(1, 8):  # one article a day for a week: the baseline
        text = f"{STORY} Dzień {day}: " + "słowo " * day * 7
        report(
            project,
            expulsion(),
            text=text,
            ingested=now - timedelta(days=day),
            published=now - timedelta(days=day),
        )
    assert not [a for a in alerts(project) if a.event == "burst"]
    for n in range(4):
        text = (
            f"Zupełnie inny tekst numer {n}. "
            + " ".join(f"wyraz{n}x{i}" for i in range(40))
            + " "
            + SENTENCE
        )
        report(project, expulsion(), text=text, ingested=now + timedelta(minutes=n), published=now)
    (burst,) = [a for a in alerts(project) if a.event == "burst"]
    assert (burst.signal, burst.pair, burst.num_articles) == ("ambassador_dispute", "POL-RUS", 4)
    assert burst.raised_reason == "4 articles today against a baseline of 1.0 a day"


def test_the_window_binds_every_article_not_just_the_last(tmp_path: Path) -> None:
    project = make_project(tmp_path)  # 7 days
    for day in (0, 6, 12):  # 12 is within 7 days of 6, but not of 0: no chaining
        text = f"{SENTENCE} Wydanie z dnia {day}. " + " ".join(f"w{day}x{i}" for i in range(30))
        report(project, expulsion(), published=DAY + timedelta(days=day), text=text)
    assert [a.num_articles for a in alerts(project)] == [2, 1]
