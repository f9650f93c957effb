"""API tokens: a new one per login and device, expiring, stored as a hash, used without a write
per request, listed and revoked by their owner (API and account page), logged out, and all
revoked by a password change through every door."""

from datetime import timedelta
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from clinic.access_log import AccessEvent
from clinic.api_tokens import ApiToken, digest_of, issue

from ..conftest import PASSWORD

LOGIN = "/api/v1/auth/token/"
TOKENS = "/api/v1/auth/tokens/"
LOGOUT = "/api/v1/auth/logout/"
CLIENTS = "/api/v1/clients/"


def log_in(api, username="ana", password=PASSWORD, **body):
    response = api.post(LOGIN, {"username": username, "password": password, **body}, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def with_token(api, secret):
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return api


def expire_all_tokens():
    now = timezone.now()
    ApiToken.objects.update(created_at=now - timedelta(days=31), expires_at=now - timedelta(days=1))


def events(action):
    return list(AccessEvent.objects.filter(action=action).order_by("pk"))


class TestLogin:
    def test_each_login_makes_a_new_token_named_for_its_device(self, api, practitioner):
        ipad = log_in(api, device="Front desk iPad")
        phone = log_in(api, device="Ana's phone")

        assert ipad["token"] != phone["token"]
        assert [t.device for t in ApiToken.objects.order_by("pk")] == [
            "Front desk iPad",
            "Ana's phone",
        ]
        token = ApiToken.objects.get(pk=ipad["id"])
        assert ipad["device"] == "Front desk iPad"
        assert ipad["expires_at"] == token.expires_at.isoformat().replace("+00:00", "Z")
        # Both work: a new login does not end the other device's.
        for secret in (ipad["token"], phone["token"]):
            assert with_token(api, secret).get(CLIENTS).status_code == 200

    def test_a_token_expires_after_the_setting_30_days_by_default(
        self, api, practitioner, settings
    ):
        before = timezone.now()
        made = ApiToken.objects.get(pk=log_in(api)["id"])
        assert timedelta(days=30) <= made.expires_at - before < timedelta(days=30, minutes=1)

        settings.API_TOKEN_DAYS = 2
        made = ApiToken.objects.get(pk=log_in(api)["id"])
        assert made.expires_at - made.created_at == timedelta(days=2)

    def test_a_login_without_a_device_gets_a_default_name(self, api, practitioner):
        assert log_in(api)["device"] == "Unnamed device"
        assert log_in(api, device="   ")["device"] == "Unnamed device"

    def test_only_a_hash_of_the_token_is_stored(self, api, practitioner):
        secret = log_in(api)["token"]
        (row,) = ApiToken.objects.values()
        assert row["digest"] == digest_of(secret)
        assert secret not in str(row)
        assert len(secret) >= 43  # 32 random bytes

    def test_it_rejects_bad_input(self, api, practitioner):
        response = api.post(
            LOGIN, {"username": "ana", "password": PASSWORD, "device": "x" * 101}, format="json"
        )
        assert response.status_code == 400
        assert "device" in response.json()
        response = api.post(LOGIN, {"username": "ana", "password": "wrong"}, format="json")
        assert response.status_code == 400
        assert response.json() == {
            "non_field_errors": ["Unable to log in with provided credentials."]
        }
        assert not ApiToken.objects.exists()

    def test_the_second_factor_hook_gets_the_code_after_the_password(
        self, api, practitioner, monkeypatch
    ):
        seen = []
        monkeypatch.setattr(
            "clinic.api_auth.refuse_token_login",
            lambda *, request, user, code: seen.append((user, code)),
        )
        log_in(api, otp="123456")
        log_in(api)
        api.post(LOGIN, {"username": "ana", "password": "wrong", "otp": "1"}, format="json")
        assert seen == [(practitioner.user, "123456"), (practitioner.user, None)]

    def test_a_login_is_recorded_with_the_device_name(self, api, practitioner):
        log_in(api, device="Front desk iPad")
        (created,) = events(AccessEvent.Action.TOKEN_CREATED)
        assert (created.user, created.detail, created.clinic) == (
            practitioner.user,
            "Front desk iPad",
            practitioner.clinic,
        )

    def test_a_login_prunes_expired_tokens(self, api, practitioner, colleague):
        _, old = issue(user=colleague.user)
        expire_all_tokens()
        log_in(api)
        assert not ApiToken.objects.filter(digest=digest_of(old)).exists()


class TestUsingAToken:
    def test_an_expired_token_answers_401_json(self, api, practitioner):
        secret = log_in(api)["token"]
        expire_all_tokens()
        response = with_token(api, secret).get(CLIENTS)
        assert response.status_code == 401
        assert response["Content-Type"] == "application/json"
        assert "expired or been revoked" in response.json()["detail"]
        assert response["WWW-Authenticate"] == "Token"

    def test_a_token_made_in_2000_does_not_work(self, api, practitioner):
        token, secret = issue(user=practitioner.user)
        made = timezone.now().replace(year=2000)
        ApiToken.objects.update(created_at=made, expires_at=made + timedelta(days=30))
        assert with_token(api, secret).get(CLIENTS).status_code == 401

    def test_an_unknown_token_answers_401(self, api, db):
        assert with_token(api, "nonsense").get(CLIENTS).status_code == 401

    def test_an_inactive_users_token_answers_401(self, api, practitioner):
        secret = log_in(api)["token"]
        get_user_model().objects.filter(pk=practitioner.user.pk).update(is_active=False)
        assert with_token(api, secret).get(CLIENTS).status_code == 401

    def test_last_used_is_written_at_most_once_a_minute(self, api, practitioner):
        token, secret = issue(user=practitioner.user)
        with_token(api, secret)

        def updates_of_the_token():
            with CaptureQueriesContext(connection) as queries:
                assert api.get(CLIENTS).status_code == 200
            return [q for q in queries if q["sql"].startswith("UPDATE") and "apitoken" in q["sql"]]

        assert len(updates_of_the_token()) == 1
        token.refresh_from_db()
        first_use = token.last_used_at
        assert first_use is not None
        assert updates_of_the_token() == []  # again within the minute: no write
        ApiToken.objects.update(last_used_at=first_use - timedelta(seconds=61))
        assert len(updates_of_the_token()) == 1
        token.refresh_from_db()
        assert token.last_used_at > first_use


class TestOwnTokens:
    def test_a_user_lists_their_own_tokens_never_the_secrets(self, api, practitioner, colleague):
        mine = log_in(api, device="Front desk iPad")
        issue(user=colleague.user, device="Ben's phone")
        listed = with_token(api, mine["token"]).get(TOKENS).json()["results"]
        assert [(t["id"], t["device"], t["current"]) for t in listed] == [
            (mine["id"], "Front desk iPad", True)
        ]
        assert set(listed[0]) == {
            "id",
            "device",
            "created_at",
            "last_used_at",
            "expires_at",
            "current",
        }

    def test_expired_tokens_are_not_listed(self, api, practitioner):
        issue(user=practitioner.user, device="Old")
        expire_all_tokens()
        api.force_authenticate(practitioner.user)
        assert api.get(TOKENS).json()["results"] == []

    def test_revoking_a_token_ends_it_and_is_recorded(self, api, practitioner):
        ipad = log_in(api, device="Front desk iPad")
        phone = log_in(api, device="Ana's phone")
        with_token(api, phone["token"])
        assert api.delete(f"{TOKENS}{ipad['id']}/").status_code == 204
        assert not ApiToken.objects.filter(pk=ipad["id"]).exists()
        assert with_token(api, ipad["token"]).get(CLIENTS).status_code == 401
        assert with_token(api, phone["token"]).get(CLIENTS).status_code == 200
        (revoked,) = events(AccessEvent.Action.TOKEN_REVOKED)
        assert (revoked.user, revoked.detail) == (practitioner.user, "Front desk iPad")

    def test_another_users_token_is_a_404(self, api, practitioner, colleague):
        theirs, _ = issue(user=colleague.user)
        with_token(api, log_in(api)["token"])
        assert api.get(f"{TOKENS}{theirs.pk}/").status_code == 404
        assert api.delete(f"{TOKENS}{theirs.pk}/").status_code == 404
        assert ApiToken.objects.filter(pk=theirs.pk).exists()

    def test_logging_out_revokes_the_token_in_use_only(self, api, practitioner):
        other = log_in(api, device="Other")
        current = log_in(api, device="This one")
        assert with_token(api, current["token"]).post(LOGOUT).status_code == 204
        assert with_token(api, current["token"]).get(CLIENTS).status_code == 401
        assert list(ApiToken.objects.values_list("pk", flat=True)) == [other["id"]]
        assert events(AccessEvent.Action.TOKEN_REVOKED)[0].detail == "This one"

    def test_logging_out_without_a_token_is_refused(self, api, practitioner):
        issue(user=practitioner.user)
        api.force_authenticate(practitioner.user)
        response = api.post(LOGOUT)
        assert response.status_code == 400
        assert "not made with a token" in response.json()["detail"]
        assert ApiToken.objects.count() == 1


class TestAccountPage:
    def test_it_lists_the_users_tokens_with_revoke(self, as_practitioner, practitioner, colleague):
        mine, _ = issue(user=practitioner.user, device="Front desk iPad")
        theirs, _ = issue(user=colleague.user, device="Ben's phone")
        html = as_practitioner.get(reverse("clinic:account")).content.decode()
        assert "Front desk iPad" in html and "Ben's phone" not in html
        assert reverse("clinic:token-revoke", args=[mine.pk]) in html
        assert "never" in html  # not used yet
        assert 'id="second-factor"' in html or "Second factor" in html

    def test_the_navbar_links_to_it(self, as_practitioner):
        html = as_practitioner.get(reverse("clinic:dashboard")).content.decode()
        assert f'href="{reverse("clinic:account")}"' in html

    def test_a_user_without_a_practitioner_profile_has_one_too(self, client, no_profile_user):
        issue(user=no_profile_user, device="Script")
        client.force_login(no_profile_user)
        assert "Script" in client.get(reverse("clinic:account")).content.decode()

    def test_revoke_works_and_is_recorded(self, as_practitioner, practitioner):
        token, secret = issue(user=practitioner.user, device="Front desk iPad")
        response = as_practitioner.post(reverse("clinic:token-revoke", args=[token.pk]))
        assert response.status_code == 302 and response["Location"] == reverse("clinic:account")
        assert not ApiToken.objects.exists()
        page = as_practitioner.get(reverse("clinic:account")).content.decode()
        assert "Revoked the token for “Front desk iPad”" in page
        (revoked,) = events(AccessEvent.Action.TOKEN_REVOKED)
        assert revoked.detail == "Front desk iPad"

    def test_another_users_token_cannot_be_revoked(self, as_practitioner, colleague):
        theirs, _ = issue(user=colleague.user)
        response = as_practitioner.post(reverse("clinic:token-revoke", args=[theirs.pk]))
        assert response.status_code == 404
        assert ApiToken.objects.filter(pk=theirs.pk).exists()

    def test_the_tokens_cost_one_query_however_many(self, as_practitioner, practitioner):
        def token_queries():
            with CaptureQueriesContext(connection) as queries:
                html = as_practitioner.get(reverse("clinic:account")).content.decode()
            return html, [q for q in queries if "clinic_apitoken" in q["sql"]]

        issue(user=practitioner.user, device="Device 1")
        html, queries = token_queries()
        assert "Device 1" in html and len(queries) == 1
        for n in range(2, 31):
            issue(user=practitioner.user, device=f"Device {n}")
        html, queries = token_queries()
        assert "Device 30" in html and len(queries) == 1


class TestPasswordChangeRevokesEveryToken:
    """Each door a password is changed through; every token of the user stops working, the
    other users' keep working, and the change is written to the access log."""

    @pytest.fixture
    def tokens(self, practitioner, colleague):
        mine = [issue(user=practitioner.user, device=d)[1] for d in ("iPad", "Phone")]
        _, theirs = issue(user=colleague.user, device="Ben's phone")
        return SimpleNamespace(mine=mine, theirs=theirs)

    def assert_revoked(self, tokens, api, user):
        for secret in tokens.mine:
            assert with_token(api, secret).get(CLIENTS).status_code == 401
        assert with_token(api, tokens.theirs).get(CLIENTS).status_code == 200
        assert not ApiToken.objects.filter(user=user).exists()
        (changed,) = [e for e in events(AccessEvent.Action.PASSWORD_CHANGED) if e.user == user]
        assert changed.detail.startswith("API tokens revoked: 2")
        return changed

    def test_the_password_change_page(self, tokens, as_practitioner, practitioner, api):
        response = as_practitioner.post(
            reverse("password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": "a-New-pass-4321",
                "new_password2": "a-New-pass-4321",
            },
            REMOTE_ADDR="10.0.0.7",
        )
        assert response.status_code == 302
        changed = self.assert_revoked(tokens, api, practitioner.user)
        assert changed.ip_address == "10.0.0.7"
        assert changed.detail == "API tokens revoked: 2"

    def test_the_password_reset_confirm_page(self, tokens, client, practitioner, api):
        user = practitioner.user
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        url = reverse(
            "password_reset_confirm", args=[uid, default_token_generator.make_token(user)]
        )
        form_url = client.get(url)["Location"]  # Django swaps the token for set-password
        response = client.post(
            form_url, {"new_password1": "a-New-pass-4321", "new_password2": "a-New-pass-4321"}
        )
        assert response["Location"] == reverse("password_reset_complete")
        self.assert_revoked(tokens, api, user)

    def test_the_admins_password_change(self, tokens, client, practitioner, api):
        root = get_user_model().objects.create_superuser("root", "root@example.com", "pw-root-1")
        client.force_login(root)
        url = reverse("admin:auth_user_password_change", args=[practitioner.user.pk])
        response = client.post(
            url, {"password1": "a-New-pass-4321", "password2": "a-New-pass-4321"}
        )
        assert response.status_code == 302
        changed = self.assert_revoked(tokens, api, practitioner.user)
        assert changed.detail == "API tokens revoked: 2, by root"

    def test_manage_py_changepassword(self, tokens, practitioner, api, monkeypatch):
        command = import_module("django.contrib.auth.management.commands.changepassword")
        monkeypatch.setattr(
            command.Command, "_get_pass", lambda self, prompt=None: "a-New-pass-4321"
        )
        call_command("changepassword", "ana", stdout=open("/dev/null", "w"))
        self.assert_revoked(tokens, api, practitioner.user)

    def test_set_password_and_save_anywhere(self, tokens, practitioner, api):
        user = get_user_model().objects.get(pk=practitioner.user.pk)
        user.set_password("a-New-pass-4321")
        user.save()
        self.assert_revoked(tokens, api, user)

    def test_a_hash_upgrade_at_login_is_not_a_change(self, tokens, api, practitioner, settings):
        from django.contrib.auth.hashers import make_password

        settings.PASSWORD_HASHERS = [
            "django.contrib.auth.hashers.MD5PasswordHasher",
            "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        ]
        hashed = make_password(PASSWORD, hasher="pbkdf2_sha256")
        get_user_model().objects.filter(pk=practitioner.user.pk).update(password=hashed)
        log_in(api)  # checks the password, and saves it again under MD5
        assert get_user_model().objects.get(pk=practitioner.user.pk).password.startswith("md5$")
        assert ApiToken.objects.filter(user=practitioner.user).count() == 3
        assert not events(AccessEvent.Action.PASSWORD_CHANGED)


class TestAdmin:
    @pytest.fixture
    def as_superuser(self, client, db):
        client.force_login(get_user_model().objects.create_superuser("root", "r@x.org", "pw-1"))
        return client

    def test_the_superuser_lists_tokens_without_their_hash(self, as_superuser, practitioner):
        token, secret = issue(user=practitioner.user, device="Front desk iPad")
        listing = as_superuser.get(reverse("admin:clinic_apitoken_changelist")).content.decode()
        page = as_superuser.get(
            reverse("admin:clinic_apitoken_change", args=[token.pk])
        ).content.decode()
        assert "Front desk iPad" in listing and "Front desk iPad" in page
        for html in (listing, page):
            assert token.digest not in html and secret not in html

    def test_deleting_in_the_admin_revokes_and_is_recorded(self, as_superuser, practitioner, api):
        token, secret = issue(user=practitioner.user, device="Front desk iPad")
        response = as_superuser.post(
            reverse("admin:clinic_apitoken_changelist"),
            {"action": "delete_selected", "_selected_action": [token.pk], "post": "yes"},
        )
        assert response.status_code == 302
        assert with_token(api, secret).get(CLIENTS).status_code == 401
        (revoked,) = events(AccessEvent.Action.TOKEN_REVOKED)
        assert revoked.username == "root" and revoked.detail == "Front desk iPad, of ana"

    def test_staff_with_the_model_permissions_cannot_see_tokens(self, client, practitioner):
        from django.contrib.auth.models import Permission

        from ..factories import UserFactory

        staff = UserFactory(username="desk", is_staff=True)
        staff.user_permissions.set(Permission.objects.filter(codename__endswith="_apitoken"))
        issue(user=practitioner.user)
        client.force_login(staff)
        assert client.get(reverse("admin:clinic_apitoken_changelist")).status_code == 403


class TestOldForeverTokens:
    """DRF's authtoken tokens from before: carried over with an expiry 30 days after they
    were made (so one from 2000 is gone), then their table and records are dropped."""

    @pytest.fixture
    def old_table(self, practitioner, colleague):
        now = timezone.now()
        with connection.cursor() as cursor:
            cursor.execute(
                'CREATE TABLE authtoken_token ("key" varchar(40) PRIMARY KEY, '
                "created timestamp with time zone NOT NULL, user_id integer NOT NULL)"
                if connection.vendor == "postgresql"
                else 'CREATE TABLE authtoken_token ("key" varchar(40) PRIMARY KEY, '
                "created datetime NOT NULL, user_id integer NOT NULL)"
            )
            cursor.executemany(
                'INSERT INTO authtoken_token ("key", created, user_id) VALUES (%s, %s, %s)',
                [
                    ("a" * 40, now - timedelta(days=3), practitioner.user.pk),
                    ("b" * 40, now.replace(year=2000), colleague.user.pk),
                ],
            )
        ContentType.objects.create(app_label="authtoken", model="token")
        return now

    def test_they_expire_30_days_after_they_were_made(self, old_table, api, practitioner):
        migration = import_module("clinic.migrations.0008_api_tokens")
        migration.carry_over_authtoken_tokens(apps, SimpleNamespace(connection=connection))

        (carried,) = ApiToken.objects.all()
        assert carried.user == practitioner.user
        assert carried.digest == digest_of("a" * 40)
        assert carried.device == "Token from before expiry"
        assert carried.expires_at - carried.created_at == timedelta(days=30)
        assert with_token(api, "a" * 40).get(CLIENTS).status_code == 200
        assert with_token(api, "b" * 40).get(CLIENTS).status_code == 401
        assert "authtoken_token" not in connection.introspection.table_names()
        assert not ContentType.objects.filter(app_label="authtoken").exists()


def test_the_schema_documents_the_token_endpoints_and_their_errors(api_as_practitioner):
    schema = api_as_practitioner.get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    login = paths[LOGIN]["post"]["responses"]
    assert {"200", "400", "429"} <= set(login)
    errors = login["400"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert {"non_field_errors", "otp"} <= set(schema["components"]["schemas"][errors]["properties"])
    assert {"200", "401"} <= set(paths[TOKENS]["get"]["responses"])
    assert {"204", "401", "404"} <= set(paths[f"{TOKENS}{{id}}/"]["delete"]["responses"])
    assert {"204", "400", "401"} <= set(paths[LOGOUT]["post"]["responses"])


@pytest.mark.parametrize(
    "username",
    [
        "ana\x00",
        ["ana\x00"],
        {"name": "ana\x00"},
        [{}, [{"\x00": "x"}], {}, "ana\x00"],  # what schemathesis sent
    ],
)
def test_a_nul_anywhere_in_the_login_is_a_list_of_messages_as_documented(api, db, username):
    from config.nul_bytes import NUL_MESSAGE

    response = api.post(LOGIN, {"username": username, "password": PASSWORD}, format="json")
    assert response.status_code == 400
    assert response.json() == {"username": [NUL_MESSAGE]}
    assert not ApiToken.objects.exists()
