"""Sending: SMTP (plain, STARTTLS or implicit TLS) and webhooks (JSON POST). The edge where I/O happens.

Every failure is classified: TemporaryFailure (4xx, connection refused, timeouts: try again later) or
PermanentFailure (5xx: keep the error, do not retry). The outbox decides what to do with each.
"""
from __future__ import annotations

import json
import os
import smtplib
import socket
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr


class TemporaryFailure(Exception):
    pass


class PermanentFailure(Exception):
    pass


@dataclass(frozen=True)
class SmtpSettings:
    host: str = "127.0.0.1"
    port: int = 25
    security: str = "none"         # none | starttls | tls
    user: str = ""
    password: str = ""             # from MARSAD_SMTP_PASSWORD only
    sender: str = "marsad <marsad@localhost>"
    timeout: float = 30.0

    @property
    def domain(self) -> str:
        addr = parseaddr(self.sender)[1]
        return addr.split("@", 1)[1] if "@" in addr else "marsad.local"

    @classmethod
    def from_config(cls, d: dict, env=os.environ) -> "SmtpSettings":
        return cls(host=d.get("host", "127.0.0.1"), port=int(d.get("port", 25)), security=d.get("security", "none"),
                   user=d.get("user", ""), password=env.get("MARSAD_SMTP_PASSWORD", ""),
                   sender=d.get("from", cls.sender), timeout=float(d.get("timeout_seconds", 30)))


def _connect(s: SmtpSettings) -> smtplib.SMTP:
    if s.security == "tls":
        return smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=ssl.create_default_context())
    conn = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
    if s.security == "starttls":
        conn.starttls(context=ssl.create_default_context())
    return conn


def send_mail(s: SmtpSettings, msg: EmailMessage, recipient: str) -> None:
    """Hand one message to the SMTP server; returns only when the server accepted it."""
    try:
        with _connect(s) as conn:
            if s.user:
                conn.login(s.user, s.password)
            refused = conn.send_message(msg, from_addr=parseaddr(s.sender)[1], to_addrs=[recipient])
    except smtplib.SMTPRecipientsRefused as e:
        codes = [code for code, _ in e.recipients.values()]
        err = "; ".join(f"{r}: {c} {m.decode(errors='replace') if isinstance(m, bytes) else m}"
                        for r, (c, m) in e.recipients.items())
        raise (PermanentFailure if all(c >= 500 for c in codes) else TemporaryFailure)(err) from None
    except smtplib.SMTPResponseException as e:
        text = e.smtp_error.decode(errors="replace") if isinstance(e.smtp_error, bytes) else str(e.smtp_error)
        raise (PermanentFailure if e.smtp_code >= 500 else TemporaryFailure)(f"{e.smtp_code} {text}") from None
    except (smtplib.SMTPException, OSError, socket.timeout) as e:
        raise TemporaryFailure(f"{type(e).__name__}: {e}") from None
    if refused:
        raise PermanentFailure(f"refused: {refused}")


def post_webhook(url: str, payload: dict, timeout: float = 10.0) -> None:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    req = urllib.request.Request(url, data=body, method="POST",
                                 headers={"Content-Type": "application/json; charset=utf-8",
                                          "User-Agent": "marsad-webhook/0.1"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            if resp.status >= 300:
                raise TemporaryFailure(f"HTTP {resp.status}")
    except urllib.error.HTTPError as e:
        if 400 <= e.code < 500 and e.code not in (408, 429):
            raise PermanentFailure(f"HTTP {e.code}") from None
        raise TemporaryFailure(f"HTTP {e.code}") from None
    except (urllib.error.URLError, OSError, socket.timeout) as e:
        raise TemporaryFailure(f"{type(e).__name__}: {e}") from None
