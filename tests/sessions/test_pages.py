import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from catalogue.models import Point
from sessions.models import Amendment, TreatedPoint, TreatmentSession

from ..factories import ClientFactory, TreatedPointFactory, TreatmentSessionFactory


def session_form(**overrides):
    data = {
        "started_at": (timezone.localtime() - datetime.timedelta(hours=1)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "conditions": ["neck-pain"],
        "complaint": "Stiff neck after driving",
        "pain_before": "7",
        "pain_after": "3",
        "outcome": "improved",
        "notes": "Responded well.",
        "adverse_reaction": "",
        "follow_up": "Review in a week.",
        "points-TOTAL_FORMS": "2",
        "points-INITIAL_FORMS": "0",
        "points-MIN_NUM_FORMS": "0",
        "points-MAX_NUM_FORMS": "1000",
        "points-0-point": "li4",
        "points-0-side": "left",
        "points-0-tool": "thumb",
        "points-0-duration_seconds": "180",
        "points-0-pressure": "moderate",
        "points-0-response": "relief",
        "points-1-point": "GB20",
        "points-1-side": "both",
        "points-1-tool": "",
        "points-1-duration_seconds": "",
        "points-1-pressure": "firm",
        "points-1-response": "tender",
    }
    data.update(overrides)
    return data


@pytest.fixture
def create_url(client_record):
    return reverse("sessions:session-create", args=[client_record.pk])


@pytest.fixture
def pregnant_client(practitioner):
    return ClientFactory(clinic=practitioner.clinic, health_flags=["pregnancy"])


def nothing_saved():
    return TreatmentSession.objects.count() == 0 and TreatedPoint.objects.count() == 0


class TestRecord:
    def test_it_works(self, as_practitioner, practitioner, catalogue, create_url, client_record):
        response = as_practitioner.post(create_url, session_form())
        session = TreatmentSession.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("sessions:session-detail", args=[session.pk])
        assert session.client == client_record and session.practitioner == practitioner
        assert [c.slug for c in session.conditions.all()] == ["neck-pain"]
        first, second = session.treated_points.all()
        assert (first.point.code, first.side, first.tool.slug) == ("LI4", "left", "thumb")
        gb20 = Point.objects.get(code="GB20")
        assert second.tool == gb20.default_tool
        assert second.duration_seconds == gb20.default_duration_seconds
        assert session.history.latest().history_user == practitioner.user

    def test_a_colleague_can_record_too(self, client, colleague, catalogue, create_url):
        client.force_login(colleague.user)
        assert client.post(create_url, session_form()).status_code == 302
        assert TreatmentSession.objects.get().practitioner == colleague

    def test_the_form_offers_the_clients_flags_and_defaults(
        self, as_practitioner, catalogue, pregnant_client
    ):
        response = as_practitioner.get(
            reverse("sessions:session-create", args=[pregnant_client.pk])
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert 'data-client-flags="pregnancy"' in html
        assert 'id="point-row-template"' in html

    @pytest.mark.parametrize(
        "overrides,field",
        [
            ({"pain_before": "11"}, "pain_before"),
            ({"pain_before": "-1"}, "pain_before"),
            ({"pain_after": "12"}, "pain_after"),
            ({"outcome": "magical"}, "outcome"),
            ({"started_at": "not a date"}, "started_at"),
        ],
    )
    def test_bad_session_fields_are_refused(
        self, as_practitioner, catalogue, create_url, overrides, field
    ):
        response = as_practitioner.post(create_url, session_form(**overrides))
        assert response.status_code == 200
        assert field in response.context["form"].errors
        assert nothing_saved()
        assert 'value="Stiff neck after driving"' in response.content.decode() or (
            "Stiff neck after driving" in response.content.decode()
        )

    def test_a_start_in_the_future_is_refused(self, as_practitioner, catalogue, create_url):
        tomorrow = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
        response = as_practitioner.post(create_url, session_form(started_at=tomorrow))
        assert response.context["form"].errors["started_at"] == [
            "The start time cannot be in the future."
        ]
        assert nothing_saved()

    @pytest.mark.parametrize(
        "overrides,field,message",
        [
            ({"points-1-duration_seconds": "0"}, "duration_seconds", "more than zero"),
            ({"points-1-duration_seconds": "-5"}, "duration_seconds", "more than zero"),
            ({"points-1-duration_seconds": "1801"}, "duration_seconds", "30 minutes"),
            ({"points-1-point": "ZZ99"}, "point", "Unknown or retired point"),
            ({"points-1-tool": "spoon"}, "tool", "Unknown pressure tool"),
        ],
    )
    def test_a_bad_point_row_saves_nothing_and_is_marked_at_its_row(
        self, as_practitioner, catalogue, create_url, overrides, field, message
    ):
        response = as_practitioner.post(create_url, session_form(**overrides))
        assert response.status_code == 200
        formset = response.context["formset"]
        assert not formset.forms[0].errors
        assert message in " ".join(formset.forms[1].errors[field])
        assert nothing_saved()
        html = response.content.decode()
        assert 'value="li4"' in html.lower()  # the good row is kept as typed

    def test_a_retired_point_is_refused(self, as_practitioner, catalogue, create_url):
        Point.objects.filter(code="GB20").update(is_active=False)
        response = as_practitioner.post(create_url, session_form())
        assert "point" in response.context["formset"].forms[1].errors
        assert nothing_saved()

    def test_a_caution_must_be_acknowledged_and_is_stored(
        self, as_practitioner, catalogue, pregnant_client
    ):
        url = reverse("sessions:session-create", args=[pregnant_client.pk])
        data = session_form(**{"points-1-point": "SP6"})
        response = as_practitioner.post(url, data)
        assert nothing_saved()
        assert "caution_acknowledged" in response.context["form"].errors
        html = response.content.decode()
        assert "Caution for this client: Pregnancy" in html
        assert response.context["formset"].forms[1].caution.point.code == "SP6"

        response = as_practitioner.post(url, {**data, "caution_acknowledged": "on"})
        assert response.status_code == 302
        session = TreatmentSession.objects.get()
        assert session.caution_acknowledged is True
        assert session.acknowledged_cautions == ["LI4: Pregnancy", "SP6: Pregnancy"]

    def test_an_archived_client_cannot_get_a_new_session(
        self, as_practitioner, catalogue, create_url, client_record
    ):
        client_record.archive()
        response = as_practitioner.post(create_url, session_form())
        assert "archived" in response.content.decode()
        assert nothing_saved()

    def test_repeat_last_session_copies_its_points(
        self, as_practitioner, catalogue, create_url, client_record
    ):
        as_practitioner.post(create_url, session_form())
        response = as_practitioner.get(create_url, {"repeat": "last"})
        initial = [form.initial for form in response.context["formset"].forms]
        assert [(row["point"], row["side"]) for row in initial] == [
            ("LI4", "left"),
            ("GB20", "both"),
        ]


class TestSignAndAmend:
    @pytest.fixture
    def session(self, as_practitioner, catalogue, create_url):
        as_practitioner.post(create_url, session_form())
        return TreatmentSession.objects.get()

    def test_signing_makes_it_read_only(self, as_practitioner, session, practitioner):
        as_practitioner.post(reverse("sessions:session-sign", args=[session.pk]))
        session.refresh_from_db()
        assert session.signed_by == practitioner and session.signed_at
        edit = reverse("sessions:session-update", args=[session.pk])
        response = as_practitioner.get(edit)
        assert response.status_code == 302
        response = as_practitioner.post(edit, session_form(pain_before="1"), follow=True)
        assert "signed and can no longer be edited" in response.content.decode()
        session.refresh_from_db()
        assert session.pain_before == 7

    def test_an_unfinished_session_cannot_be_signed(self, as_practitioner, session):
        TreatmentSession.objects.filter(pk=session.pk).update(pain_after=None)
        response = as_practitioner.post(
            reverse("sessions:session-sign", args=[session.pk]), follow=True
        )
        assert "Record the pain after treatment before signing." in response.content.decode()
        session.refresh_from_db()
        assert session.signed_at is None

    def test_an_amendment_keeps_the_original_visible(self, as_practitioner, session, practitioner):
        as_practitioner.post(reverse("sessions:session-sign", args=[session.pk]))
        url = reverse("sessions:session-amend", args=[session.pk])
        response = as_practitioner.post(
            url,
            {
                "reason": "Typed the wrong score",
                "complaint": session.complaint,
                "pain_after": "2",
                "outcome": "improved",
                "notes": session.notes,
                "adverse_reaction": "",
                "follow_up": session.follow_up,
            },
        )
        assert response.status_code == 302
        amendment = Amendment.objects.get()
        assert amendment.amended_by == practitioner
        assert amendment.changes == {"pain_after": {"old": 3, "new": 2}}
        session.refresh_from_db()
        assert session.pain_after == 2
        page = as_practitioner.get(reverse("sessions:session-detail", args=[session.pk]))
        html = page.content.decode()
        assert "Typed the wrong score" in html and "“3” → “2”" in html

    def test_an_amendment_needs_a_reason_and_a_change(self, as_practitioner, session):
        as_practitioner.post(reverse("sessions:session-sign", args=[session.pk]))
        url = reverse("sessions:session-amend", args=[session.pk])
        unchanged = {
            "reason": "",
            "complaint": session.complaint,
            "pain_after": "3",
            "outcome": "improved",
            "notes": session.notes,
            "adverse_reaction": "",
            "follow_up": session.follow_up,
        }
        response = as_practitioner.post(url, unchanged)
        assert "reason" in response.context["form"].errors
        response = as_practitioner.post(url, {**unchanged, "reason": "Checking"})
        assert "The amendment changes nothing." in response.content.decode()
        assert Amendment.objects.count() == 0

    def test_a_draft_is_edited_not_amended(self, as_practitioner, session):
        response = as_practitioner.get(reverse("sessions:session-amend", args=[session.pk]))
        assert response.url == reverse("sessions:session-update", args=[session.pk])

    def test_editing_a_draft_replaces_its_points_and_keeps_history(self, as_practitioner, session):
        url = reverse("sessions:session-update", args=[session.pk])
        data = session_form(**{"points-TOTAL_FORMS": "1", "points-0-point": "SI3"})
        assert as_practitioner.post(url, data).status_code == 302
        assert [tp.point.code for tp in session.treated_points.all()] == ["SI3"]
        assert TreatedPoint.history.filter(history_type="-").count() == 2


ROUTES = ["session-detail", "session-update", "session-sign", "session-amend"]


class TestPermissions:
    @pytest.mark.parametrize("name", ROUTES)
    def test_another_clinic_gets_404(self, client, outsider, name):
        session = TreatedPointFactory().session
        client.force_login(outsider.user)
        method = client.post if name == "session-sign" else client.get
        assert method(reverse(f"sessions:{name}", args=[session.pk])).status_code == 404
        session.refresh_from_db()
        assert session.signed_at is None

    def test_another_clinics_client_cannot_get_a_session(self, as_practitioner, catalogue):
        stranger = ClientFactory()
        url = reverse("sessions:session-create", args=[stranger.pk])
        assert as_practitioner.get(url).status_code == 404
        assert as_practitioner.post(url, session_form()).status_code == 404
        assert nothing_saved()

    @pytest.mark.parametrize("name", [*ROUTES, "session-create"])
    def test_anonymous_goes_to_login_and_no_profile_is_refused(
        self, client, no_profile_user, client_record, name
    ):
        session = TreatmentSessionFactory(client=client_record)
        arg = client_record.pk if name == "session-create" else session.pk
        url = reverse(f"sessions:{name}", args=[arg])
        method = client.post if name == "session-sign" else client.get
        response = method(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
        client.force_login(no_profile_user)
        assert method(url).status_code == 403

    @pytest.mark.parametrize("name", ROUTES)
    def test_a_colleague_can_open_it(self, client, colleague, client_record, name):
        session = TreatedPointFactory(session__client=client_record).session
        client.force_login(colleague.user)
        method = client.post if name == "session-sign" else client.get
        assert method(reverse(f"sessions:{name}", args=[session.pk])).status_code in (200, 302)


@pytest.mark.parametrize("points", [1, 20])
def test_detail_query_count_is_constant(
    as_practitioner, client_record, django_assert_num_queries, points
):
    session = TreatmentSessionFactory(client=client_record)
    for n in range(points):
        TreatedPointFactory(session=session, point__code=f"LI{n + 1}", point__number=n + 1)
    # session, user, practitioner, clinic, the session (client, practitioner, signer
    # joined), conditions, points (point, tool joined), point cautions, amendments,
    # session save in a savepoint (3)
    with django_assert_num_queries(12):
        response = as_practitioner.get(reverse("sessions:session-detail", args=[session.pk]))
    assert response.status_code == 200


def test_a_point_without_a_default_tool_needs_one_chosen(as_practitioner, catalogue, create_url):
    response = as_practitioner.post(create_url, session_form(**{"points-1-point": "LU1"}))
    assert response.context["formset"].forms[1].errors["tool"] == [
        "LU1 has no default tool: choose one."
    ]
    assert nothing_saved()


@pytest.mark.parametrize(
    "model,field,value",
    [
        (TreatmentSession, "pain_before", 11),
        (TreatmentSession, "pain_after", -1),
        (TreatedPoint, "duration_seconds", 0),
        (TreatedPoint, "duration_seconds", 1801),
    ],
)
def test_the_database_itself_refuses_impossible_values(db, model, field, value):
    from django.db import IntegrityError, transaction

    TreatedPointFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.update(**{field: value})


def test_the_form_reminds_about_missing_consent(
    as_practitioner, catalogue, create_url, client_record
):
    assert "No consent to treatment is recorded" in as_practitioner.get(create_url).content.decode()
    client_record.consent_given_at = timezone.now()
    client_record.save()
    assert "No consent to treatment" not in as_practitioner.get(create_url).content.decode()


def test_a_start_before_2000_is_refused(as_practitioner, catalogue, create_url):
    response = as_practitioner.post(create_url, session_form(started_at="0001-01-01T00:00"))
    assert "Check the year" in response.context["form"].errors["started_at"][0]
    assert nothing_saved()


@pytest.mark.parametrize("bad", ["99999999999999999999", "-1", "abc"])
def test_list_filters_with_odd_client_ids_are_field_errors(api_as_practitioner, bad):
    for url in ("/api/v1/sessions/", "/api/v1/homecare-sheets/"):
        response = api_as_practitioner.get(url, {"client": bad})
        assert response.status_code == 400 and "client" in response.json()


def test_a_caution_that_appears_after_recording_blocks_signing(
    as_practitioner, catalogue, create_url, client_record
):
    as_practitioner.post(create_url, session_form(**{"points-1-point": "SP6"}))
    session = TreatmentSession.objects.get()
    client_record.health_flags = ["pregnancy"]
    client_record.save()
    response = as_practitioner.post(
        reverse("sessions:session-sign", args=[session.pk]), follow=True
    )
    assert "health flags changed" in response.content.decode()
    session.refresh_from_db()
    assert not session.is_signed


def test_only_the_treating_practitioner_signs(client, colleague, practitioner, client_record):
    session = TreatedPointFactory(
        session__client=client_record, session__practitioner=practitioner
    ).session
    client.force_login(colleague.user)
    response = client.post(reverse("sessions:session-sign", args=[session.pk]), follow=True)
    assert "who recorded this session, can sign it" in response.content.decode()
    session.refresh_from_db()
    assert not session.is_signed


def test_saving_a_draft_without_changing_its_points_leaves_their_history_alone(
    as_practitioner, catalogue, create_url
):
    as_practitioner.post(create_url, session_form())
    session = TreatmentSession.objects.get()
    rows_before = TreatedPoint.history.count()
    url = reverse("sessions:session-update", args=[session.pk])
    assert (
        as_practitioner.post(url, session_form(notes="Only the notes changed")).status_code == 302
    )
    assert TreatedPoint.history.count() == rows_before
    session.refresh_from_db()
    assert session.notes == "Only the notes changed"


def test_editing_a_draft_with_a_bad_row_saves_nothing(as_practitioner, catalogue, create_url):
    as_practitioner.post(create_url, session_form())
    session = TreatmentSession.objects.get()
    url = reverse("sessions:session-update", args=[session.pk])
    response = as_practitioner.post(
        url, session_form(notes="Changed", **{"points-1-duration_seconds": "0"})
    )
    assert "duration_seconds" in response.context["formset"].forms[1].errors
    assert "Changed" in response.content.decode()
    session.refresh_from_db()
    assert session.notes == "Responded well."
    assert [tp.point.code for tp in session.treated_points.all()] == ["LI4", "GB20"]
