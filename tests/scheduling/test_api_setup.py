"""The diary's setup in the API: types and rooms written by clinic managers only, working
hours by their practitioner or a manager, under one rule (hours.check_stretch)."""

from datetime import time

import pytest

from clinic.access import NOT_A_MANAGER
from scheduling.models import AppointmentType, Room, WorkingHours

TYPES, ROOMS, HOURS = "/api/v1/appointment-types/", "/api/v1/rooms/", "/api/v1/working-hours/"


@pytest.fixture
def as_manager(api, clinic_manager):
    api.force_authenticate(clinic_manager.user)
    return api


class TestTypesAndRooms:
    def test_a_manager_adds_and_retires_a_type(self, as_manager, practitioner):
        made = as_manager.post(TYPES, {"name": "First visit", "minutes": 60}, format="json")
        assert made.status_code == 201, made.json()
        kind = AppointmentType.objects.get()
        assert (kind.clinic, kind.minutes, kind.is_active) == (practitioner.clinic, 60, True)
        retired = as_manager.patch(f"{TYPES}{kind.pk}/", {"is_active": False}, format="json")
        assert retired.json()["is_active"] is False
        assert kind.history.count() == 2
        assert as_manager.delete(f"{TYPES}{kind.pk}/").status_code == 405

    def test_a_practitioner_reads_but_does_not_write(self, api_as_practitioner, follow_up):
        listed = api_as_practitioner.get(TYPES).json()["results"]
        assert listed == [
            {"id": follow_up.pk, "name": "Follow-up", "minutes": 45, "is_active": True}
        ]
        refused = api_as_practitioner.post(ROOMS, {"name": "Room 2"}, format="json")
        assert refused.status_code == 403
        assert refused.json() == {"detail": NOT_A_MANAGER}
        assert not Room.objects.exists()

    def test_a_name_is_once_per_clinic_and_a_length_within_bounds(self, as_manager, room):
        twice = as_manager.post(ROOMS, {"name": "room 1"}, format="json")
        assert twice.status_code == 400
        assert twice.json() == {"name": ["The clinic has a “room 1” already."]}
        too_long = as_manager.post(TYPES, {"name": "Day", "minutes": 600}, format="json")
        assert too_long.status_code == 400 and set(too_long.json()) == {"minutes"}

    def test_another_clinics_rooms_are_neither_listed_nor_found(self, api, outsider, room):
        api.force_authenticate(outsider.user)
        assert api.get(ROOMS).json()["results"] == []
        assert api.get(f"{ROOMS}{room.pk}/").status_code == 404


def stretch(practitioner, weekday=0, starts=9, ends=13):
    return WorkingHours.objects.create(
        practitioner=practitioner, weekday=weekday, starts=time(starts), ends=time(ends)
    )


class TestWorkingHours:
    def test_a_practitioner_sets_their_own(self, api_as_practitioner, practitioner):
        made = api_as_practitioner.post(
            HOURS, {"weekday": 0, "starts": "09:00", "ends": "13:00"}, format="json"
        )
        assert made.status_code == 201, made.json()
        assert str(WorkingHours.objects.get(practitioner=practitioner)) == "Monday 09:00–13:00"

    def test_a_stretch_ends_after_it_starts_and_overlaps_none(
        self, api_as_practitioner, practitioner
    ):
        stretch(practitioner)
        backwards = api_as_practitioner.post(
            HOURS, {"weekday": 1, "starts": "13:00", "ends": "09:00"}, format="json"
        )
        assert backwards.json() == {"ends": ["The end must be after the start."]}
        overlapping = api_as_practitioner.post(
            HOURS, {"weekday": 0, "starts": "12:00", "ends": "17:00"}, format="json"
        )
        assert overlapping.status_code == 400
        assert overlapping.json() == {
            "starts": ["This overlaps Ana Duarte's hours Monday 09:00–13:00 already set."]
        }
        afternoon = api_as_practitioner.post(
            HOURS, {"weekday": 0, "starts": "13:00", "ends": "17:00"}, format="json"
        )
        assert afternoon.status_code == 201
        assert WorkingHours.objects.count() == 2

    def test_a_colleague_reads_but_does_not_change_them(self, api, colleague, practitioner):
        mine = stretch(practitioner)
        api.force_authenticate(colleague.user)
        assert [row["id"] for row in api.get(HOURS).json()["results"]] == [mine.pk]
        refusal = {
            "detail": "Only Ana Duarte or a clinic manager can change Ana Duarte's working hours."
        }
        changed = api.patch(f"{HOURS}{mine.pk}/", {"ends": "12:00"}, format="json")
        assert (changed.status_code, changed.json()) == (403, refusal)
        deleted = api.delete(f"{HOURS}{mine.pk}/")
        assert (deleted.status_code, deleted.json()) == (403, refusal)
        added = api.post(
            HOURS,
            {"practitioner": practitioner.pk, "weekday": 2, "starts": "09:00", "ends": "10:00"},
            format="json",
        )
        assert (added.status_code, added.json()) == (403, refusal)
        assert list(WorkingHours.objects.all()) == [mine]
        mine.refresh_from_db()
        assert mine.ends == time(13)

    def test_a_manager_changes_anyones_and_a_deletion_keeps_its_history(
        self, as_manager, practitioner
    ):
        mine = stretch(practitioner)
        changed = as_manager.patch(f"{HOURS}{mine.pk}/", {"ends": "12:30"}, format="json")
        assert changed.status_code == 200, changed.json()
        assert as_manager.delete(f"{HOURS}{mine.pk}/").status_code == 204
        assert not WorkingHours.objects.exists()
        assert [h.history_type for h in WorkingHours.history.filter(id=mine.pk)] == ["-", "~", "+"]

    def test_another_clinics_practitioner_is_not_found(self, api_as_practitioner, outsider):
        response = api_as_practitioner.post(
            HOURS,
            {"practitioner": outsider.pk, "weekday": 0, "starts": "09:00", "ends": "10:00"},
            format="json",
        )
        assert response.json() == {"practitioner": ["Not found in this clinic."]}
        assert not WorkingHours.objects.exists()
