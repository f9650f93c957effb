"""Treatment plans in the API: a series booked in one step (or nothing), read with its
progress."""

from datetime import timedelta

import pytest

from clinic.access_log import AccessEvent
from scheduling import booking
from scheduling.models import Appointment, TreatmentPlan

from ..factories import ClientFactory
from .conftest import local_at

PLANS = "/api/v1/plans/"


def plan_body(client, first, **overrides):
    return {
        "client": client.pk,
        "goal": "Sleep through the night",
        "sessions_planned": 6,
        "interval_days": 7,
        "review_at": [4],
        "first_starts_at": first.isoformat(),
        "minutes": 45,
        **overrides,
    }


class TestStarting:
    def test_it_books_the_series_in_one_step(
        self, api_as_practitioner, practitioner, client_record, tomorrow
    ):
        first = local_at(tomorrow, 10)
        response = api_as_practitioner.post(PLANS, plan_body(client_record, first), format="json")
        assert response.status_code == 201, response.json()
        plan = TreatmentPlan.objects.get()
        starts = [a.starts_at for a in plan.appointments.order_by("plan_number")]
        assert starts == [first + timedelta(days=7 * n) for n in range(6)]
        body = response.json()
        assert [a["plan_number"] for a in body["appointments"]] == [1, 2, 3, 4, 5, 6]
        assert body["progress"] == {
            "done": 0,
            "missed": 0,
            "booked": 6,
            "planned": 6,
            "next_review": 4,
            "percent": 0,
        }
        assert (body["practitioner"], body["review_at"]) == (practitioner.pk, [4])

    def test_a_clash_books_nothing_and_names_the_session(
        self, api_as_practitioner, practitioner, client_record, tomorrow
    ):
        first = local_at(tomorrow, 10)
        other = ClientFactory(clinic=client_record.clinic, first_name="Tom", last_name="Bell")
        booking.book_appointment(
            client=other,
            practitioner=practitioner,
            starts_at=first + timedelta(days=14),
            ends_at=first + timedelta(days=14, hours=1),
            booked_by=practitioner,
        )
        response = api_as_practitioner.post(PLANS, plan_body(client_record, first), format="json")
        assert response.status_code == 400
        (message,) = response.json()["first_starts_at"]
        assert message.startswith("Session 3,") and "Tom Bell" in message
        assert not TreatmentPlan.objects.exists()
        assert Appointment.objects.count() == 1

    def test_it_is_started_once_for_one_idempotency_key(
        self, api_as_practitioner, client_record, tomorrow
    ):
        body = plan_body(client_record, local_at(tomorrow, 10))
        key = {"HTTP_IDEMPOTENCY_KEY": "plan-1"}
        first = api_as_practitioner.post(PLANS, body, format="json", **key)
        again = api_as_practitioner.post(PLANS, body, format="json", **key)
        assert (first.status_code, again.status_code) == (201, 201)
        assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
        assert TreatmentPlan.objects.count() == 1 and Appointment.objects.count() == 6

    def test_another_clinics_client_is_not_found(self, api_as_practitioner, outsider, tomorrow):
        theirs = ClientFactory(clinic=outsider.clinic)
        response = api_as_practitioner.post(
            PLANS, plan_body(theirs, local_at(tomorrow, 10)), format="json"
        )
        assert response.json() == {"client": ["Not found in this clinic."]}
        assert not TreatmentPlan.objects.exists()

    def test_it_is_never_deleted_nor_edited(self, api_as_practitioner, client_record, tomorrow):
        api_as_practitioner.post(
            PLANS, plan_body(client_record, local_at(tomorrow, 10)), format="json"
        )
        url = f"{PLANS}{TreatmentPlan.objects.get().pk}/"
        assert api_as_practitioner.delete(url).status_code == 405
        assert api_as_practitioner.patch(url, {"goal": "x"}, format="json").status_code == 405
        assert TreatmentPlan.objects.get().goal == "Sleep through the night"


class TestReading:
    def test_its_progress_counts_completed_sessions(
        self, api_as_practitioner, practitioner, client_record, tomorrow
    ):
        api_as_practitioner.post(
            PLANS,
            plan_body(client_record, local_at(tomorrow, 10), sessions_planned=4),
            format="json",
        )
        plan = TreatmentPlan.objects.get()
        for appointment in plan.appointments.order_by("plan_number")[:2]:
            for status in ("arrived", "completed"):
                booking.set_status(appointment=appointment, changed_by=practitioner, status=status)
        body = api_as_practitioner.get(f"{PLANS}{plan.pk}/").json()
        assert body["progress"]["done"] == 2 and body["progress"]["percent"] == 50
        event = AccessEvent.objects.get(record_type=AccessEvent.RecordType.PLAN)
        assert (event.client, event.record_id) == (client_record, plan.pk)

    @pytest.mark.parametrize("plans", [1, 5])
    def test_list_query_count_is_constant(
        self, api_as_practitioner, client_record, tomorrow, django_assert_num_queries, plans
    ):
        for n in range(plans):
            first = local_at(tomorrow, 8 + n)
            body = plan_body(client_record, first, sessions_planned=3, review_at=[2])
            assert api_as_practitioner.post(PLANS, body, format="json").status_code == 201
        # the count, the page of plans, their appointments (progress is counted from them).
        with django_assert_num_queries(3):
            response = api_as_practitioner.get(PLANS)
        assert len(response.json()["results"]) == plans
        assert all(len(plan["appointments"]) == 3 for plan in response.json()["results"])
