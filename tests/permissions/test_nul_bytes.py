"""A NUL character anywhere in a request is refused, never a 500 (PostgreSQL cannot store
or compare one). The requests are the permission matrix's own, for every route, sent by a
user the row lets in, with a NUL in each path segment, in each query parameter, and in each
text field of the body. An address (path or query) with a NUL answers 400, JSON under
/api/; a body field with one is a JSON field error on the API and a field error on a page
(or, for a button or a form that answers with a redirect, a message; for a page's script
answered in JSON, a 400 naming the field), and saves nothing."""

from operator import attrgetter
from urllib.parse import urlencode

import pytest
from django.forms import BaseForm, BaseFormSet
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from config.nul_bytes import NUL_MESSAGE

from ..conftest import PASSWORD
from . import routes_scheduling_api
from .routes import ALL_ROWS
from .support import log_in, messages_of, snapshot

NUL = "\x00"
# Who sends a row's requests: the first of these the row lets in.
SENDERS = ("owner", "practitioner", "superuser", "manager", "colleague", "staff", "no_profile")
# The query parameters the pages read (the API's come from its schema).
PAGE_QUERY = ("q", "status", "repeat", "paper", "large", "meridian", "region", "condition")


def sender(call):
    """One whose request does what the row says (a write that takes effect), if any."""
    if call.effect:
        return sorted(call.effect, key=lambda who: (who not in SENDERS, who))[0]
    allowed = [who for who, status in call.expect.items() if isinstance(status, int)]
    return next((who for who in SENDERS if who in allowed and call.expect[who] < 400), None)


def calls(methods):
    for row in ALL_ROWS:
        for index, each in enumerate(row.calls):
            who = sender(each)
            if each.method in methods and who:
                yield pytest.param(row, each, who, id=f"{row.name}-{index}-{each.method}")


def api_query_names():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return sorted(
        {
            parameter["name"]
            for operations in schema["paths"].values()
            for operation in operations.values()
            for parameter in operation.get("parameters", [])
            if parameter["in"] == "query"
        }
    )


def prepare(row, each, who, world, http):
    world.who = who
    log_in(http, world)
    for name in each.needs:
        getattr(world, name)
    args = [arg(world) if callable(arg) else attrgetter(arg)(world) for arg in each.args]
    body = each.body(world) if callable(each.body) else each.body
    return reverse(row.name, args=args), dict(body or {})


def send(http, method, url, body, kind):
    if method == "get":
        return http.get(url, body)
    return getattr(http, method)(url, body, format="json" if kind == "api" else None)


def assert_refused_address(response, url):
    seen = f"{url}: {response.status_code}"
    assert response.status_code == 400, seen
    if url.startswith("/api/"):
        assert response["Content-Type"] == "application/json", seen
        assert NUL_MESSAGE in str(response.json()), seen
    else:
        assert NUL_MESSAGE.encode() in response.content, seen


@pytest.mark.parametrize("row,each,who", calls({"get", "post", "put", "patch", "delete"}))
def test_a_nul_in_any_path_segment_is_a_400(row, each, who, world, http):
    url, body = prepare(row, each, who, world, http)
    segments = url.split("/")
    for index, segment in enumerate(segments):
        if not segment:
            continue
        broken = "/".join([*segments[:index], segment + "%00", *segments[index + 1 :]])
        # Refused before any view (the message says so), so nothing can have been saved.
        assert_refused_address(send(http, each.method, broken, body, row.kind), broken)


@pytest.mark.parametrize("row,each,who", calls({"get"}))
def test_a_nul_in_any_query_parameter_is_a_400(row, each, who, world, http):
    url, body = prepare(row, each, who, world, http)
    names = {*body, *(api_query_names() if row.kind == "api" else PAGE_QUERY)}
    for name in sorted(names):
        response = http.get(url, {**body, name: f"LI4{NUL}"})
        assert_refused_address(response, f"{url}?{urlencode({name: 'LI4%00'})}")
    response = http.get(f"{url}?q%00=1")
    assert_refused_address(response, f"{url}?q%00=1")


def text_fields(body, path=()):
    """Where the body holds text, as paths of keys and indexes."""
    if isinstance(body, dict):
        for key, value in body.items():
            yield from text_fields(value, (*path, key))
    elif isinstance(body, list | tuple):
        for index, value in enumerate(body):
            yield from text_fields(value, (*path, index))
    elif isinstance(body, str):
        yield path


def with_nul(body, path):
    if not path:
        return body + NUL
    head, *rest = path
    copy = list(body) if isinstance(body, list | tuple) else dict(body)
    copy[head] = with_nul(copy[head], rest)
    return copy


def error_at(errors, path):
    """The messages a field error holds at a path, in DRF's nested shape."""
    for key in path:
        errors = errors[key]
    return errors


WRITES = {"post", "put", "patch"}


@pytest.mark.parametrize("row,each,who", [case for case in calls(WRITES) if case.values[1].body])
def test_a_nul_in_any_text_field_of_a_body_is_refused(row, each, who, world, http):
    url, body = prepare(row, each, who, world, http)
    fields = list(text_fields(body))  # none in a body of numbers only
    for path in fields:
        broken = with_nul(body, path)
        before = snapshot()
        response = send(http, each.method, url, broken, row.kind)
        seen = f"{each.method.upper()} {url} with a NUL in {path}: {response.status_code}"
        assert snapshot() == before, f"{seen}: saved"
        if row.kind == "api":
            assert response.status_code == 400, seen
            assert NUL_MESSAGE in str(error_at(response.json(), path)), f"{seen} {response.json()}"
        elif response.status_code == 302:  # a button's refusal, or a form's that redirects
            assert messages_of(response), f"{seen}: refused without a word"
        elif response.status_code == 404:  # a button naming a record by a field: no such one
            assert response["Content-Type"].startswith("text/html"), seen
        elif response["Content-Type"] == "application/json":  # a page's script (the diary's)
            assert response.status_code == 400, seen
            assert response.json()["errors"][path[0]] == [NUL_MESSAGE], seen
        else:
            assert response.status_code == 200, seen
            assert form_errors(response), f"{seen}: no field error"


def form_errors(response):
    """The errors of the forms and formsets the page was drawn with (a NUL in a text field
    is Django's NUL message; in a number or a choice, that field's own error)."""
    found = []
    for context in response.context:
        for value in context.flatten().values():
            if isinstance(value, BaseForm | BaseFormSet) and not value.is_valid():
                found.append(
                    value.errors if isinstance(value, BaseForm) else value.total_error_count()
                )
    return found


@pytest.mark.parametrize("field", ["username", "password"])
def test_a_nul_in_the_web_login_is_a_field_error(field, practitioner, client):
    credentials = {"username": "ana", "password": PASSWORD}
    credentials[field] += NUL
    response = client.post(reverse("login"), credentials)
    assert response.status_code == 200
    assert NUL_MESSAGE.encode() in response.content
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("field", ["username", "password"])
@pytest.mark.parametrize("content_type", ["json", "form"])
def test_a_nul_in_the_token_login_is_a_json_400(field, content_type, practitioner, api):
    credentials = {"username": "ana", "password": PASSWORD}
    credentials[field] += NUL
    if content_type == "json":
        response = api.post(reverse("api:token"), credentials, format="json")
    else:
        response = api.post(
            reverse("api:token"),
            urlencode(credentials),
            content_type=("application/x-www-form-urlencoded"),
        )
    assert response.status_code == 400
    assert response.json() == {field: [NUL_MESSAGE]}


def test_these_tests_reach_the_database_they_are_run_on(db):
    """The PostgreSQL pass really runs on PostgreSQL (DATABASE_URL), where a NUL fails."""
    import os

    from django.db import connection

    expected = (
        "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    )
    assert connection.vendor == expected


def string_paths(schema, components, path=()):
    """Where a request body's schema takes a string, as paths of keys (0 for a list item)."""
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    if schema.get("type") == "string" or "enum" in schema:
        yield path
    elif schema.get("type") == "array":
        yield from string_paths(schema["items"], components, (*path, 0))
    for name, inner in schema.get("properties", {}).items():
        if not inner.get("readOnly"):
            yield from string_paths(inner, components, (*path, name))
    for inner in schema.get("allOf", []) + schema.get("oneOf", []):
        yield from string_paths(inner, components, path)


def body_at(path):
    """The smallest body holding a string with a NUL at `path`."""
    if not path:
        return f"LI4{NUL}"
    head, *rest = path
    return [body_at(rest)] if head == 0 else {head: body_at(rest)}


def json_operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for template, operations in schema["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                body = content["application/json"]["schema"]
                for path in dict.fromkeys(string_paths(body, schema["components"]["schemas"])):
                    yield pytest.param(template, method, path, id=f"{method} {template} {path}")


# A record of the owner's for each collection whose operations take a record in the path:
# the World's attribute, or a callable of the World.
RECORDS = {
    "clients": "client",
    "sessions": "draft",
    "homecare-sheets": "draft_sheet",
    **routes_scheduling_api.RECORDS,
}


@pytest.mark.parametrize("template,method,path", list(json_operations()))
def test_a_nul_in_any_string_of_any_api_body_is_a_field_error(template, method, path, world, http):
    """From the schema, so a serializer field that no matrix row sends is covered too."""
    collection = template.split("/")[3]
    world.who = "manager" if collection in routes_scheduling_api.MANAGERS_WRITE else "owner"
    http.force_authenticate(world.user)
    url = template
    if "{" in template:
        assert collection in RECORDS, f"{template}: name a record for {collection} in RECORDS"
        found = RECORDS[collection]
        record = found(world) if callable(found) else getattr(world, found)
        url = template.replace(
            template[template.index("{") : template.index("}") + 1], str(record.pk)
        )
    before = snapshot()
    response = getattr(http, method)(url, body_at(path), format="json")
    assert response.status_code == 400, f"{method.upper()} {url} {path}: {response.content}"
    assert NUL_MESSAGE in str(error_at(response.json(), path)), response.json()
    assert snapshot() == before


def test_a_session_cookie_with_a_nul_is_no_login(client, api, db):
    cookie = f"sessionid=abcdefghijkl{NUL}mnop"
    response = client.get(reverse("clinic:client-list"), HTTP_COOKIE=cookie)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert api.get("/api/v1/clients/", HTTP_COOKIE=cookie).status_code == 401
