import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

import config.settings as project_settings
from clinic.models import Client, Clinic, Practitioner

ROOT = Path(__file__).resolve().parents[2]


def run_python(code, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )


def json_from_a_file_database(tmp_path, imports: str, expression: str):
    """Evaluate `expression` (after `imports`) in a fresh process on a migrated SQLite file
    database, as in production (the test database lives in memory); its JSON result."""
    script = (
        "import json, os, django\n"
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'; django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        f"{imports}\n"
        f"print(json.dumps({expression}))\n"
    )
    result = run_python(script, DJANGO_DEBUG="1", DATABASE_URL=f"sqlite:///{tmp_path}/live.db")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def import_settings(**env):
    return run_python("import config.settings as s; print(s.DATABASES['default']['ENGINE'])", **env)


class TestSettings:
    def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off(self):
        result = run_python("import config.wsgi", DJANGO_DEBUG="0")
        assert result.returncode != 0
        assert "DJANGO_SECRET_KEY is not set" in result.stderr

    def test_management_commands_still_run_without_a_key(self):
        result = subprocess.run(
            [sys.executable, "manage.py", "check"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        )
        assert result.returncode == 0, result.stderr

    def test_with_a_key_the_app_starts(self):
        result = run_python("import config.wsgi", DJANGO_SECRET_KEY="k" * 50)
        assert result.returncode == 0, result.stderr

    def test_it_refuses_a_short_secret_key(self):
        result = import_settings(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="short")
        assert result.returncode != 0
        assert "at least 32" in result.stderr

    def test_a_real_key_starts_and_database_url_switches_to_postgresql(self):
        result = import_settings(
            DJANGO_SECRET_KEY="x" * 50, DATABASE_URL="postgres://u:p@localhost:5432/clinic"
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "django.db.backends.postgresql"

    def test_a_bad_boolean_fails_loudly(self):
        result = import_settings(DJANGO_DEBUG="maybe")
        assert result.returncode != 0
        assert "must be true or false" in result.stderr

    def test_passwords_use_argon2_and_sessions_expire_after_30_idle_minutes(self):
        assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
        assert project_settings.SESSION_COOKIE_AGE == 30 * 60
        assert project_settings.SESSION_SAVE_EVERY_REQUEST is False  # refreshed once a minute


@pytest.mark.django_db
class TestSeedDemo:
    def test_it_creates_the_demo_and_is_safe_to_run_twice(self, capsys):
        call_command("seed_demo", password="demo-pass-1")
        call_command("seed_demo", password="demo-pass-1")
        assert set(Clinic.objects.values_list("name", flat=True)) == {
            "Riverside Acupressure",
            "Hilltop Wellness",
        }
        riverside = Practitioner.objects.filter(clinic__name="Riverside Acupressure")
        assert set(riverside.values_list("user__username", flat=True)) == {"ana", "ben"}
        assert Practitioner.objects.get(user__username="chen").clinic.name == "Hilltop Wellness"
        # Each clinic's first practitioner manages it, so a newcomer sees the team page.
        managers = Practitioner.objects.filter(role=Practitioner.Role.MANAGER)
        assert set(managers.values_list("user__username", flat=True)) == {"ana", "chen"}
        for clinic in Clinic.objects.all():
            assert 10 <= Client.objects.filter(clinic=clinic).count() <= 15
        admin = get_user_model().objects.get(username="admin")
        assert admin.is_superuser and admin.check_password("demo-pass-1")
        assert "demo-pass-1" in capsys.readouterr().out

    def test_without_a_password_it_generates_and_prints_one(self, capsys):
        call_command("seed_demo")
        out = capsys.readouterr().out
        password = out.split("password for all: ")[1].split(")")[0]
        assert get_user_model().objects.get(username="ana").check_password(password)


class TestProductionSettings:
    ENV = {
        "DJANGO_SECRET_KEY": "a9Xq-7Lm2Vb8Rt4Ws6Yz1Kc3Nd5Pf0Hg" * 2,
        "DJANGO_ALLOWED_HOSTS": "clinic.example.org",
    }

    def test_the_deploy_check_is_clean(self):
        result = run_python(
            "import os, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'; "
            "django.setup(); from django.core.management import call_command; "
            "call_command('check', deploy=True, fail_level='WARNING')",
            **self.ENV,
        )
        assert result.returncode == 0, result.stderr

    def test_https_is_required_unless_switched_off(self):
        code = (
            "import json, config.settings as s; print(json.dumps([s.SECURE_SSL_REDIRECT, "
            "s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE]))"
        )
        assert run_python(code, **self.ENV).stdout.strip() == "[true, 31536000, true]"
        plain = run_python(code, **self.ENV, DJANGO_HTTPS="0")
        assert plain.stdout.strip() == "[false, 0, false]"
