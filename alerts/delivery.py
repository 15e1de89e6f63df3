"""Sending: SMTP (plain, STARTTLS or implicit TLS) and webhooks (JSON POST). The edge where I/O happens.

Every failure is classified: TemporaryFailure (4xx, connection refused, timeouts: try again later),
PermanentFailure (5xx: keep the error, do not retry) or AuthFailure (the server refused marsad's own
credentials, or the password is missing: a configuration error that says nothing about the alert, so the
outbox keeps the alert pending and the operator is told). The outbox decides what to do with each.
The password is never part of a message, a repr or an exception text.
"""
from __future__ import annotations

import json
import os
import re
import smtplib
import socket
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import parseaddr


class TemporaryFailure(Exception):
    pass


class PermanentFailure(Exception):
    pass


class AuthFailure(Exception):
    """The SMTP server did not accept marsad's login (or demands one marsad does not give)."""


# Replies that mean "who you are", not "what you send": answered to AUTH, or to MAIL/RCPT by a server that
# wants a login first. Any 5xx answer to AUTH itself is one too. (RFC 4954 section 6, RFC 5248 registry.)
AUTH_REPLY_CODES = {530: "authentication required", 534: "mechanism too weak", 535: "credentials invalid",
                    538: "encryption required for this mechanism"}
AUTH_ENHANCED_CODES = {"5.7.8": "credentials invalid", "5.7.9": "mechanism too weak",
                       "5.7.11": "encryption required", "5.7.12": "password transition needed",
                       "5.7.13": "user account disabled", "5.7.14": "trust relationship required"}
_ENHANCED = re.compile(r"^\s*(\d\.\d{1,3}\.\d{1,3})\b")


@dataclass(frozen=True)
class SmtpSettings:
    host: str = "127.0.0.1"
    port: int = 25
    security: str = "none"         # none | starttls | tls
    user: str = ""
    password: str = field(default="", repr=False)     # from MARSAD_SMTP_PASSWORD only; never shown
    sender: str = "marsad <marsad@localhost>"
    timeout: float = 30.0

    @property
    def where(self) -> str:
        """HOST:PORT as USER, for messages (never the password)."""
        return f"{self.host}:{self.port}" + (f" as {self.user}" if self.user else "")

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


def _text(reply) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)


def _login(conn: smtplib.SMTP, s: SmtpSettings) -> None:
    """AUTH with the configured user; every refusal but a temporary 4xx is an AuthFailure."""
    try:
        conn.login(s.user, s.password)
    except smtplib.SMTPServerDisconnected as e:
        raise TemporaryFailure(f"SMTPServerDisconnected: {e}") from None
    except smtplib.SMTPNotSupportedError:
        raise AuthFailure("the server offers no AUTH (does it need security = \"starttls\"?)") from None
    except smtplib.SMTPResponseException as e:
        if 400 <= e.smtp_code < 500:
            raise TemporaryFailure(f"{e.smtp_code} {_text(e.smtp_error)}") from None
        raise AuthFailure(f"{e.smtp_code} {_text(e.smtp_error)}") from None
    except smtplib.SMTPException as e:          # "No suitable authentication method found"
        raise AuthFailure(str(e)) from None


def _is_auth_reply(code: int, text: str) -> bool:
    m = _ENHANCED.match(text)
    return code in AUTH_REPLY_CODES or (code >= 500 and bool(m) and m.group(1) in AUTH_ENHANCED_CODES)


def _open(s: SmtpSettings) -> smtplib.SMTP:
    if s.user and not s.password:
        raise AuthFailure("no password: smtp.user is set but MARSAD_SMTP_PASSWORD is empty")
    conn = _connect(s)
    try:
        if s.user:
            _login(conn, s)
    except BaseException:
        conn.close()
        raise
    return conn


def send_mail(s: SmtpSettings, msg: EmailMessage, recipient: str) -> None:
    """Hand one message to the SMTP server; returns only when the server accepted it."""
    try:
        with _open(s) as conn:
            refused = conn.send_message(msg, from_addr=parseaddr(s.sender)[1], to_addrs=[recipient])
    except smtplib.SMTPRecipientsRefused as e:
        codes = [code for code, _ in e.recipients.values()]
        err = "; ".join(f"{r}: {c} {_text(m)}" for r, (c, m) in e.recipients.items())
        if all(_is_auth_reply(c, _text(m)) for c, m in e.recipients.values()):
            raise AuthFailure(err) from None
        raise (PermanentFailure if all(c >= 500 for c in codes) else TemporaryFailure)(err) from None
    except smtplib.SMTPResponseException as e:
        raise _reply_failure(e) from None
    except (smtplib.SMTPException, OSError, socket.timeout) as e:
        raise TemporaryFailure(f"{type(e).__name__}: {e}") from None
    if refused:
        raise PermanentFailure(f"refused: {refused}")


def _reply_failure(e: smtplib.SMTPResponseException) -> Exception:
    """A server's refusal as marsad's failure kind: a login problem, permanent (5xx) or temporary."""
    text = _text(e.smtp_error)
    if _is_auth_reply(e.smtp_code, text):
        return AuthFailure(f"{e.smtp_code} {text}")
    return (PermanentFailure if e.smtp_code >= 500 else TemporaryFailure)(f"{e.smtp_code} {text}")


def check_server(s: SmtpSettings) -> None:
    """Connect, EHLO, STARTTLS/TLS as configured, AUTH if a user is set, QUIT; raises what send_mail would."""
    try:
        with _open(s) as conn:
            code, reply = conn.ehlo()
            if code >= 400:
                raise smtplib.SMTPResponseException(code, reply)
    except smtplib.SMTPResponseException as e:
        raise _reply_failure(e) from None
    except (smtplib.SMTPException, OSError, socket.timeout) as e:
        raise TemporaryFailure(f"{type(e).__name__}: {e}") from None


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
