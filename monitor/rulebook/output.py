"""Pure formatting of findings: the JSON shape of ``monitor scan`` and table rows."""

from __future__ import annotations

from typing import Any

from monitor.rulebook.engine import ArticleAnalysis, Finding

EVIDENCE_CHARS = 90


def finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "signal": finding.signal,
        "event": finding.event,
        "rule": finding.rule_id,
        "modality": finding.modality,
        "actor": finding.actor,
        "target": finding.target,
        "subject": finding.subject,
        "place": finding.place,
        "place_countries": finding.place_countries,
        "severity": finding.severity,
        "evidence": {"sentence": finding.sentence, "start": finding.start, "end": finding.end},
    }


def article_json(article_id: str, result: ArticleAnalysis) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": article_id,
        "lang": result.lang,
        "detections": [finding_json(f) for f in result.findings],
    }
    if result.note:
        out["note"] = result.note
    return out


def finding_row(article_id: str, finding: Finding) -> list[str]:
    evidence = finding.sentence
    if len(evidence) > EVIDENCE_CHARS:
        evidence = evidence[: EVIDENCE_CHARS - 1] + "…"
    return [
        article_id,
        finding.lang,
        finding.event,
        finding.modality,
        finding.actor or "-",
        finding.target or "-",
        finding.subject or "-",
        finding.place or "-",
        evidence,
    ]


ROW_HEADERS = [
    "article",
    "lang",
    "event",
    "modality",
    "actor",
    "target",
    "subject",
    "place",
    "evidence",
]
