"""Webhook notifier: POST the alert document as JSON, signed with HMAC-SHA256.

The signature goes in ``X-Monitor-Signature: sha256=<hex>`` over the exact body bytes;
the secret itself is never logged or sent, and messages name only the endpoint's host.
"""

from __future__ import annotations

import hashlib
import hmac
import logging

import httpx

from monitor.config import AlertSettings

SIGNATURE_HEADER = "X-Monitor-Signature"


class NotifyError(Exception):
    """One delivery attempt failed; the message says why (never the secret)."""


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


class _HideWebhookUrls(logging.Filter):
    """httpx logs each request's full URL at INFO; show webhook URLs by endpoint only."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        hidden = message
        for url in self.urls:
            hidden = hidden.replace(url, endpoint(url) + "/…")
        if hidden != message:
            record.msg, record.args = hidden, ()
        return True


_HIDE = _HideWebhookUrls()
logging.getLogger("httpx").addFilter(_HIDE)


def endpoint(url: str) -> str:
    """``scheme://host:port`` only: paths and queries of webhook URLs often hold tokens."""
    parsed = httpx.URL(url)
    port = f":{parsed.port}" if parsed.port else ""
    return f"{parsed.scheme}://{parsed.host}{port}"


def post_webhook(
    cfg: AlertSettings, payload: str, transport: httpx.BaseTransport | None = None
) -> None:
    """One POST; any network error, timeout or non-2xx answer raises NotifyError."""
    assert cfg.webhook_url is not None
    body = payload.encode("utf-8")
    where = f"webhook {endpoint(cfg.webhook_url)}"
    _HIDE.urls.add(cfg.webhook_url)
    headers = {"Content-Type": "application/json", "User-Agent": "monitor-alerts"}
    if cfg.webhook_secret is not None:
        headers[SIGNATURE_HEADER] = sign(body, cfg.webhook_secret.get_secret_value())
    try:
        with httpx.Client(timeout=cfg.webhook_timeout_s, transport=transport) as client:
            response = client.post(cfg.webhook_url, content=body, headers=headers)
    except httpx.TimeoutException:
        raise NotifyError(f"{where}: timed out after {cfg.webhook_timeout_s}s") from None
    except httpx.HTTPError as exc:
        raise NotifyError(f"{where}: {type(exc).__name__}: {exc}") from None
    if not response.is_success:
        raise NotifyError(f"{where}: HTTP {response.status_code}")
