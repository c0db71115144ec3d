"""Webhook notifier: POST the alert document as JSON, signed with HMAC-SHA256.

The signature goes in ``X-Monitor-Signature: sha256=<hex>`` over the exact body bytes;
the secret itself is never logged or sent.
"""

from __future__ import annotations

import hashlib
import hmac

import httpx

from monitor.config import AlertSettings

SIGNATURE_HEADER = "X-Monitor-Signature"


class NotifyError(Exception):
    """One delivery attempt failed; the message says why (never the secret)."""


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def post_webhook(
    cfg: AlertSettings, payload: str, transport: httpx.BaseTransport | None = None
) -> None:
    """One POST; any network error, timeout or non-2xx answer raises NotifyError."""
    assert cfg.webhook_url is not None
    body = payload.encode("utf-8")
    headers = {"Content-Type": "application/json", "User-Agent": "monitor-alerts"}
    if cfg.webhook_secret is not None:
        headers[SIGNATURE_HEADER] = sign(body, cfg.webhook_secret.get_secret_value())
    try:
        with httpx.Client(timeout=cfg.webhook_timeout_s, transport=transport) as client:
            response = client.post(cfg.webhook_url, content=body, headers=headers)
    except httpx.TimeoutException:
        raise NotifyError(
            f"webhook {cfg.webhook_url}: timed out after {cfg.webhook_timeout_s}s"
        ) from None
    except httpx.HTTPError as exc:
        raise NotifyError(f"webhook {cfg.webhook_url}: {type(exc).__name__}: {exc}") from None
    if not response.is_success:
        raise NotifyError(f"webhook {cfg.webhook_url}: HTTP {response.status_code}")
