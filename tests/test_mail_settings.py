"""Mail is set from the environment (config/mail.py): EMAIL_URL or the usual EMAIL_*
variables; the console when debugging and neither is set; bad values fail loudly."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.mail import mail_from_environment
from tests.clinic.test_settings_and_commands import run_python

SMTP = "django.core.mail.backends.smtp.EmailBackend"
NAMES = ["EMAIL_URL", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD"]
NAMES += ["EMAIL_USE_TLS", "EMAIL_USE_SSL", "EMAIL_TIMEOUT", "DEFAULT_FROM_EMAIL"]


@pytest.fixture
def env(monkeypatch):
    for name in [*NAMES, "DJANGO_DEFAULT_FROM_EMAIL"]:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch.setenv


def test_an_email_url_with_starttls(env):
    env("EMAIL_URL", "smtp+tls://clinic%40example.org:p%40ss:word@mail.example.org:587")
    env("DEFAULT_FROM_EMAIL", "Clinic <clinic@example.org>")
    assert mail_from_environment(debug=False) == {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": "mail.example.org",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "clinic@example.org",
        "EMAIL_HOST_PASSWORD": "p@ss:word",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 10,
        "DEFAULT_FROM_EMAIL": "Clinic <clinic@example.org>",
    }


def test_an_email_url_with_tls_from_the_start(env):
    env("EMAIL_URL", "smtp+ssl://u:p@mail.example.org")
    config = mail_from_environment(debug=False)
    assert (config["EMAIL_PORT"], config["EMAIL_USE_SSL"], config["EMAIL_USE_TLS"]) == (
        465,
        True,
        False,
    )


def test_the_usual_variables(env):
    env("EMAIL_HOST", "mail.example.org")
    env("EMAIL_HOST_USER", "clinic")
    env("EMAIL_HOST_PASSWORD", "secret")
    env("EMAIL_USE_TLS", "1")
    env("EMAIL_TIMEOUT", "5")
    config = mail_from_environment(debug=True)
    assert config["EMAIL_BACKEND"] == SMTP
    assert (config["EMAIL_HOST"], config["EMAIL_PORT"], config["EMAIL_USE_TLS"]) == (
        "mail.example.org",
        587,
        True,
    )
    assert (config["EMAIL_HOST_USER"], config["EMAIL_HOST_PASSWORD"]) == ("clinic", "secret")
    assert config["EMAIL_TIMEOUT"] == 5


def test_without_settings_the_console_when_debugging_else_a_local_server(env):
    assert mail_from_environment(debug=True)["EMAIL_BACKEND"].endswith("console.EmailBackend")
    config = mail_from_environment(debug=False)
    assert (config["EMAIL_BACKEND"], config["EMAIL_HOST"], config["EMAIL_PORT"]) == (
        SMTP,
        "localhost",
        25,
    )
    assert config["DEFAULT_FROM_EMAIL"] == "clinic@localhost"


@pytest.mark.parametrize(
    "name,value",
    [
        ("EMAIL_URL", "smtps+tls://mail.example.org"),
        ("EMAIL_URL", "smtp+tls://"),
        ("EMAIL_URL", "smtp://mail.example.org:port"),
        ("EMAIL_URL", "mail.example.org"),
        ("EMAIL_PORT", "twenty-five"),
        ("EMAIL_USE_TLS", "sometimes"),
        ("EMAIL_TIMEOUT", "0"),
    ],
)
def test_bad_values_fail_loudly(env, name, value):
    if name != "EMAIL_URL":
        env("EMAIL_HOST", "mail.example.org")
    env(name, value)
    with pytest.raises(ImproperlyConfigured, match=name):
        mail_from_environment(debug=False)


@pytest.mark.parametrize("url", ["smtpx://clinic:hunter2@mail", "clinic:hunter2@mail"])
def test_a_password_never_shows_in_the_error(env, url):
    env("EMAIL_URL", url)
    with pytest.raises(ImproperlyConfigured) as error:
        mail_from_environment(debug=False)
    assert "hunter2" not in str(error.value)


def test_two_ways_at_once_fail_loudly(env):
    env("EMAIL_URL", "smtp://mail.example.org")
    env("EMAIL_HOST", "other.example.org")
    with pytest.raises(ImproperlyConfigured, match="not both"):
        mail_from_environment(debug=False)


def test_the_settings_read_them():
    result = run_python(
        "import json, config.settings as s; "
        "print(json.dumps([s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS]))",
        DJANGO_DEBUG="1",
        EMAIL_URL="smtp+tls://u:p@mail.example.org:2525",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [SMTP, "mail.example.org", 2525, True]
