"""The mail settings, from EMAIL_URL or the usual EMAIL_* variables; bad values fail loudly.

- `EMAIL_URL`, parsed by dj-email-url: `smtp+tls://user:pass@host:587` (STARTTLS; also
  `submission://`), `smtp+ssl://user:pass@host:465` (TLS from the start), `smtp://host:25`
  (plain), `console://` (mails printed, not sent); user and password %-encoded.
- or `EMAIL_HOST` with `EMAIL_PORT`, `EMAIL_HOST_USER`, `EMAIL_HOST_PASSWORD`,
  `EMAIL_USE_TLS` or `EMAIL_USE_SSL`: SMTP.
- neither: the console when debugging, else SMTP to a mail server on localhost:25.
`EMAIL_TIMEOUT` (seconds, 10 by default) bounds a request waiting on a slow mail server;
`DEFAULT_FROM_EMAIL` is the sender (`DJANGO_DEFAULT_FROM_EMAIL` is read too).
"""

import os
from urllib.parse import urlsplit

import dj_email_url
from django.core.exceptions import ImproperlyConfigured

SMTP = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE = "django.core.mail.backends.console.EmailBackend"
SCHEMES = {"smtp+tls": "submission", "smtp+ssl": "smtp", **{s: s for s in dj_email_url.SCHEMES}}


def _from_url(url):
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES or "://" not in url:
        scheme = f"{parts.scheme!r} is not a mail scheme" if "://" in url else "it has no scheme"
        raise ImproperlyConfigured(
            f"EMAIL_URL must look like smtp+tls://user:password@host:587; {scheme}."
        )
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured("EMAIL_URL has a port that is not a number.") from None
    config = dj_email_url.parse(f"{SCHEMES[parts.scheme]}://{url.split('://', 1)[1]}")
    if parts.scheme == "smtp+ssl":
        config.update(EMAIL_USE_SSL=True, EMAIL_USE_TLS=False, EMAIL_PORT=port or 465)
    if config["EMAIL_BACKEND"] == SMTP and not parts.hostname:
        raise ImproperlyConfigured("EMAIL_URL names no mail server host.")
    return config


def _flag(name):
    value = os.environ.get(name, "").lower()
    if value in {"", "0", "false", "no", "off"}:
        return False
    if value in {"1", "true", "yes", "on"}:
        return True
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def _number(name, default):
    value = os.environ.get(name) or str(default)
    if not value.isdigit() or int(value) < 1:
        raise ImproperlyConfigured(f"{name} must be a whole number above 0, not {value!r}")
    return int(value)


def _from_variables(host):
    tls, ssl = _flag("EMAIL_USE_TLS"), _flag("EMAIL_USE_SSL")
    if tls and ssl:
        raise ImproperlyConfigured("Set EMAIL_USE_TLS or EMAIL_USE_SSL, not both.")
    return {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": host,
        "EMAIL_PORT": _number("EMAIL_PORT", 587 if tls else 465 if ssl else 25),
        "EMAIL_HOST_USER": os.environ.get("EMAIL_HOST_USER", ""),
        "EMAIL_HOST_PASSWORD": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "EMAIL_USE_TLS": tls,
        "EMAIL_USE_SSL": ssl,
    }


def mail_from_environment(*, debug):
    """Django's EMAIL_* settings and DEFAULT_FROM_EMAIL, by name."""
    url, host = os.environ.get("EMAIL_URL", ""), os.environ.get("EMAIL_HOST", "")
    if url and host:
        raise ImproperlyConfigured("Set EMAIL_URL or EMAIL_HOST, not both.")
    if url:
        config = _from_url(url)
    elif host:
        config = _from_variables(host)
    elif debug:
        config = {"EMAIL_BACKEND": CONSOLE}
    else:
        config = {"EMAIL_BACKEND": SMTP, "EMAIL_HOST": "localhost", "EMAIL_PORT": 25}
    config = {name: value for name, value in config.items() if value not in (None, "")}
    config["EMAIL_TIMEOUT"] = _number("EMAIL_TIMEOUT", 10)
    config["DEFAULT_FROM_EMAIL"] = (
        os.environ.get("DEFAULT_FROM_EMAIL")
        or os.environ.get("DJANGO_DEFAULT_FROM_EMAIL")
        or config.get("DEFAULT_FROM_EMAIL")
        or "clinic@localhost"
    )
    return config
