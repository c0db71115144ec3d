"""E-mail notifier: one plain-text message per alert change, through SMTP."""

from __future__ import annotations

import json
import smtplib
from email.message import EmailMessage
from typing import Any

from monitor.alerts.webhook import NotifyError
from monitor.config import AlertSettings


def format_subject(doc: dict[str, Any]) -> str:
    a = doc["alert"]
    roles = f"{a.get('actor') or '?'} -> {a.get('target') or '?'}"
    return (
        f"[monitor] {doc['kind']} alert #{a['id']}: {a['event']} {roles} (severity {a['severity']})"
    )


def format_body(doc: dict[str, Any]) -> str:
    a = doc["alert"]
    lines = [format_subject(doc), ""]
    for name in ("signal", "event", "actor", "target", "subject", "place", "pair", "ladder_step"):
        lines.append(f"{name}: {a.get(name) if a.get(name) is not None else '-'}")
    lines.append(f"articles: {a['num_articles']}  sources: {a['num_sources']}")
    if a.get("raised_reason"):
        lines.append(f"raised: {a['raised_reason']}")
    lines.append("")
    for ev in doc.get("evidence", []):
        lines.append(f"- {ev['title']} ({ev.get('date') or '-'})")
        lines.append(f"  {ev['sentence']}")
    return "\n".join(lines) + "\n"


def send_email(cfg: AlertSettings, payload: str) -> None:
    """Send one message; SMTP or network trouble raises NotifyError (no password in it)."""
    assert cfg.smtp_host is not None
    doc = json.loads(payload)
    msg = EmailMessage()
    msg["Subject"] = format_subject(doc)
    msg["From"] = cfg.email_from
    msg["To"] = ", ".join(cfg.email_to)
    msg.set_content(format_body(doc))
    where = f"smtp {cfg.smtp_host}:{cfg.smtp_port}"
    try:
        with smtplib.SMTP(cfg.smtp_host, cfg.smtp_port, timeout=cfg.smtp_timeout_s) as smtp:
            if cfg.smtp_starttls:
                smtp.starttls()
            if cfg.smtp_user and cfg.smtp_password is not None:
                smtp.login(cfg.smtp_user, cfg.smtp_password.get_secret_value())
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        raise NotifyError(f"{where}: {type(exc).__name__}: {exc}") from None
