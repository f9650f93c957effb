"""Pain marks: where it hurts, stored with the session as data. One rule book
(sessions/pain_marks.py) for the form and the API; history and the stale-edit check cover
them as any other session field."""

import json

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from sessions.models import TreatmentSession
from sessions.pain_marks import MAX_MARKS, PainMark, pain_marks_from

from .page_support import nothing_saved, session_form
from .session_api_support import LIST, detail, new_session

LOWER_BACK_LEFT = {"view": "lower_back", "x": 30, "y": 40, "radius": 7, "intensity": 7}
NECK = {"view": "head_back", "x": 50, "y": 70.26, "radius": 4, "intensity": 3}


def messages(data):
    with pytest.raises(ValidationError) as refused:
        pain_marks_from(data)
    return refused.value.message_dict["pain_marks"]


class TestTheRuleBook:
    def test_it_works(self):
        marks = pain_marks_from([LOWER_BACK_LEFT, NECK])
        assert marks == [
            PainMark(view="lower_back", x=30.0, y=40.0, radius=7, intensity=7),
            PainMark(view="head_back", x=50.0, y=70.3, radius=4, intensity=3),
        ]
        # The lower back view shows the client's left on the viewer's left.
        assert marks[0].description == "Lower back, sacrum and buttocks, left, intensity 7"
        assert marks[1].side == "midline"
        assert pain_marks_from(None) == [] and pain_marks_from([]) == []

    @pytest.mark.parametrize(
        "change, message",
        [
            ({"view": "elbow"}, "Mark 1: there is no body view “elbow”."),
            ({"x": 100.5}, "Mark 1: x and y are percent of the view, from 0 to 100."),
            ({"y": -1}, "Mark 1: x and y are percent of the view, from 0 to 100."),
            ({"x": "30"}, "Mark 1: x and y are percent of the view, from 0 to 100."),
            ({"intensity": 0}, "Mark 1: the intensity is a whole number from 1 to 10."),
            ({"intensity": 11}, "Mark 1: the intensity is a whole number from 1 to 10."),
            ({"intensity": 5.5}, "Mark 1: the intensity is a whole number from 1 to 10."),
            ({"intensity": True}, "Mark 1: the intensity is a whole number from 1 to 10."),
            ({"radius": 5}, "Mark 1: the size is small (4), medium (7) or large (11)."),
            # not a 500: a value that cannot be looked up, a number too big for a float
            ({"radius": []}, "Mark 1: the size is small (4), medium (7) or large (11)."),
            ({"radius": {}}, "Mark 1: the size is small (4), medium (7) or large (11)."),
            ({"x": 10**400}, "Mark 1: x and y are percent of the view, from 0 to 100."),
            # a view's name is quoted back only when it is plain text
            ({"view": "face\x00"}, "Mark 1: there is no body view “?”."),
        ],
    )
    def test_each_rule_has_its_message(self, change, message):
        assert messages([{**LOWER_BACK_LEFT, **change}]) == [message]

    @pytest.mark.parametrize(
        "view, x, side",
        [
            ("lower_back", 50, "midline"),
            ("lower_back", 51.9, "midline"),  # a tap a little off the spine
            ("lower_back", 47.5, "left"),  # the lower back shows the left on the left
            ("lower_back", 52.5, "right"),
            ("arm_inner", 50, "left"),  # between the two arms: a side, never the midline
            ("arm_inner", 49, "right"),  # the inner arms show the right on the left
        ],
    )
    def test_the_midline_is_a_band_on_views_that_show_it(self, view, x, side):
        [mark] = pain_marks_from([{**LOWER_BACK_LEFT, "view": view, "x": x}])
        assert mark.side == side

    def test_each_broken_mark_is_named(self):
        assert messages([LOWER_BACK_LEFT, {"view": "face"}, {**NECK, "intensity": 12}]) == [
            "Mark 2 must give view, x, y, radius and intensity.",
            "Mark 3: the intensity is a whole number from 1 to 10.",
        ]

    def test_a_list_of_at_most_thirty(self):
        assert messages({"view": "face"}) == ["Pain marks must be a list of marks."]
        assert len(pain_marks_from([NECK] * MAX_MARKS)) == MAX_MARKS
        assert messages([NECK] * (MAX_MARKS + 1)) == ["At most 30 pain marks on one session."]


@pytest.mark.django_db
class TestTheForm:
    def test_marks_are_saved_with_the_session_and_its_history(
        self, as_practitioner, catalogue, create_url
    ):
        form = session_form(pain_marks=json.dumps([LOWER_BACK_LEFT, NECK]))
        assert as_practitioner.post(create_url, form).status_code == 302
        session = TreatmentSession.objects.get()
        assert session.pain_marks == [
            {"view": "lower_back", "x": 30.0, "y": 40.0, "radius": 7, "intensity": 7},
            {"view": "head_back", "x": 50.0, "y": 70.3, "radius": 4, "intensity": 3},
        ]
        assert session.history.get().pain_marks == session.pain_marks

    def test_a_form_without_marks_saves_none(self, recorded_session):
        assert recorded_session.pain_marks == []

    @pytest.mark.parametrize(
        "posted, message",
        [
            (json.dumps([{**LOWER_BACK_LEFT, "intensity": 0}]), "from 1 to 10"),
            ("[{not json", "Enter a valid JSON."),
        ],
    )
    def test_bad_marks_are_refused_next_to_the_figure_and_kept(
        self, as_practitioner, catalogue, create_url, posted, message
    ):
        response = as_practitioner.post(create_url, session_form(pain_marks=posted))
        assert response.status_code == 200
        assert nothing_saved()
        form = response.context["form"]
        assert message in " ".join(form.errors["pain_marks"])
        kept = form["pain_marks"].value()  # parsed when it was JSON, as typed when not
        assert (kept if isinstance(kept, str) else json.dumps(kept)) == posted

    def test_an_edit_shows_the_saved_marks_and_replaces_them(
        self, as_practitioner, recorded_session
    ):
        url = f"/sessions/{recorded_session.pk}/edit/"
        form = session_form(pain_marks=json.dumps([NECK]), revision=str(recorded_session.revision))
        assert as_practitioner.post(url, form).status_code == 302
        opened = as_practitioner.get(url)
        assert json.loads(opened.context["form"]["pain_marks"].value()) == [
            {"view": "head_back", "x": 50.0, "y": 70.3, "radius": 4, "intensity": 3}
        ]
        recorded_session.refresh_from_db()
        assert [h.pain_marks for h in recorded_session.history.order_by("history_id")] == [
            [],
            recorded_session.pain_marks,
        ]

    def test_a_stale_edit_of_the_marks_is_refused(self, client, practitioner, recorded_session):
        url = f"/sessions/{recorded_session.pk}/edit/"
        opened_at = str(recorded_session.revision)
        client.force_login(practitioner.user)
        first = session_form(pain_marks=json.dumps([NECK]), revision=opened_at)
        assert client.post(url, first).status_code == 302
        stale = session_form(pain_marks=json.dumps([LOWER_BACK_LEFT]), revision=opened_at)
        response = client.post(url, stale)
        assert response.status_code == 200
        assert "Nothing was saved" in response.content.decode()
        # what the other change marked is shown, and what was typed is kept
        neck = "Where it hurts, saved now: Top and back of the head, back of the neck, midline"
        assert neck in response.content.decode()
        assert json.loads(response.context["form"]["pain_marks"].value()) == [LOWER_BACK_LEFT]
        recorded_session.refresh_from_db()
        assert recorded_session.pain_marks == [
            {"view": "head_back", "x": 50.0, "y": 70.3, "radius": 4, "intensity": 3}
        ]


@pytest.mark.django_db
class TestTheApi:
    @pytest.fixture
    def session(self, api_as_practitioner, catalogue, client_record):
        body = new_session(client_record, pain_marks=[LOWER_BACK_LEFT])
        response = api_as_practitioner.post(LIST, body, format="json")
        assert response.status_code == 201, response.json()
        return TreatmentSession.objects.get(pk=response.json()["id"])

    def test_it_reads_and_writes_the_marks(self, api_as_practitioner, session):
        assert session.pain_marks == [
            {"view": "lower_back", "x": 30.0, "y": 40.0, "radius": 7, "intensity": 7}
        ]
        answer = api_as_practitioner.get(detail(session)).json()
        assert answer["pain_marks"] == session.pain_marks
        patched = api_as_practitioner.patch(detail(session), {"notes": "Later"}, format="json")
        assert patched.json()["pain_marks"] == session.pain_marks  # left out: kept
        replaced = api_as_practitioner.patch(detail(session), {"pain_marks": [NECK]}, format="json")
        assert replaced.status_code == 200, replaced.json()
        session.refresh_from_db()
        assert session.pain_marks == [replaced.json()["pain_marks"][0]]
        assert session.pain_marks[0]["view"] == "head_back"
        assert session.history.count() == 3

    def test_bad_marks_are_json_field_errors_and_change_nothing(self, api_as_practitioner, session):
        response = api_as_practitioner.patch(
            detail(session), {"pain_marks": [{**NECK, "view": "elbow"}]}, format="json"
        )
        assert response.status_code == 400
        assert response.json()["pain_marks"] == ["Mark 1: there is no body view “elbow”."]
        session.refresh_from_db()
        assert session.pain_marks[0]["view"] == "lower_back"

    def test_a_stale_if_match_keeps_the_other_marks(self, api_as_practitioner, session, colleague):
        etag = api_as_practitioner.get(detail(session))["ETag"]
        assert (
            api_as_practitioner.patch(
                detail(session), {"pain_marks": [NECK]}, format="json", HTTP_IF_MATCH=etag
            ).status_code
            == 200
        )
        stale = api_as_practitioner.patch(
            detail(session), {"pain_marks": []}, format="json", HTTP_IF_MATCH=etag
        )
        assert stale.status_code == 412
        session.refresh_from_db()
        assert session.pain_marks[0]["view"] == "head_back"


def test_an_outsider_cannot_mark_anothers_session(db, outsider, practitioner, client_record):
    from ..factories import TreatmentSessionFactory

    session = TreatmentSessionFactory(client=client_record, practitioner=practitioner)
    api = APIClient()
    api.force_authenticate(outsider.user)
    response = api.patch(detail(session), {"pain_marks": [NECK]}, format="json")
    assert response.status_code == 404
    session.refresh_from_db()
    assert session.pain_marks == []


@pytest.mark.django_db
def test_a_nul_in_the_forms_marks_is_refused_and_never_reaches_the_page(
    as_practitioner, catalogue, create_url
):
    posted = json.dumps([{**LOWER_BACK_LEFT, "view": "lower_back\x00"}])
    response = as_practitioner.post(create_url, session_form(pain_marks=posted))
    assert response.status_code == 200
    assert nothing_saved()
    assert response.context["form"].errors["pain_marks"] == ["Null characters are not allowed."]
    page = response.content.decode()
    assert "\x00" not in page
    assert "lower_back\\u0000" in page  # what was typed is kept, escaped
