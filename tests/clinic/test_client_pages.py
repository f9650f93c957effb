import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from catalogue.models import CautionRule
from clinic.keyset import position, read_position
from clinic.models import Client

from ..factories import ClientFactory, TreatmentSessionFactory
from ..html_parts import parse

FIELDS = ["last_name", "first_name", "pk"]


def place_of(pk):
    client = Client.objects.get(pk=pk)
    return {"last_name": client.last_name, "first_name": client.first_name, "pk": pk}


# What valid_form() sends besides the names, flags and consent.
CLIENT_TEXT_FIELDS = [
    "last_name",
    "date_of_birth",
    "email",
    "address",
    "emergency_contact",
    "health_history",
]


def valid_form(**overrides):
    data = {
        "first_name": "Priya",
        "last_name": "Shah",
        "preferred_name": "",
        "date_of_birth": "1991-11-23",
        "phone": "07700 900123",
        "email": "priya@example.com",
        "address": "1 Elm Row",
        "emergency_contact": "Raj Shah, husband, 07700 900124",
        "health_history": "Neck ache in the evenings.",
        "health_flags": ["pregnancy"],
        "health_flags_other": "",
        "consent": "on",
    }
    data.update(overrides)
    return data


class TestCreate:
    def test_it_works(self, as_practitioner, practitioner):
        response = as_practitioner.post(reverse("clinic:client-create"), valid_form())
        client = Client.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("clinic:client-detail", args=[client.pk])
        assert client.clinic == practitioner.clinic
        assert client.health_flags == ["pregnancy"]
        assert client.consent_recorded_by == practitioner
        assert client.consent_given_at is not None
        assert client.primary_practitioner is None

    def test_the_clinic_comes_from_the_practitioner_not_the_request(
        self, as_practitioner, practitioner, outsider
    ):
        as_practitioner.post(reverse("clinic:client-create"), valid_form(clinic=outsider.clinic.pk))
        assert Client.objects.get().clinic == practitioner.clinic

    def test_it_rejects_bad_input_keeps_what_was_typed_and_saves_nothing(self, as_practitioner):
        tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
        response = as_practitioner.post(
            reverse("clinic:client-create"),
            valid_form(last_name="", email="not-an-email", date_of_birth=tomorrow),
        )
        assert response.status_code == 200
        assert Client.objects.count() == 0
        form = response.context["form"]
        assert "last_name" in form.errors
        assert "email" in form.errors
        assert form.errors["date_of_birth"] == ["Date of birth cannot be in the future."]
        html = response.content.decode()
        assert 'value="Priya"' in html
        assert 'value="not-an-email"' in html
        assert "Neck ache in the evenings." in html
        assert 'id="error_1_id_email"' in html  # crispy puts the message by the field

    def test_it_rejects_an_unknown_health_flag(self, as_practitioner):
        response = as_practitioner.post(
            reverse("clinic:client-create"), valid_form(health_flags=["flying"])
        )
        assert "health_flags" in response.context["form"].errors
        assert Client.objects.count() == 0

    def test_primary_practitioner_must_be_a_colleague(self, as_practitioner, outsider):
        response = as_practitioner.post(
            reverse("clinic:client-create"), valid_form(primary_practitioner=outsider.pk)
        )
        assert "primary_practitioner" in response.context["form"].errors
        assert Client.objects.count() == 0


class TestUpdate:
    def test_it_works_and_keeps_history(self, as_practitioner, practitioner, client_record):
        url = reverse("clinic:client-update", args=[client_record.pk])
        as_practitioner.post(
            url, valid_form(first_name="Maggie", last_name="Hale", revision=client_record.revision)
        )
        client_record.refresh_from_db()
        assert client_record.first_name == "Maggie"
        latest = client_record.history.latest()
        assert latest.history_user == practitioner.user
        assert latest.prev_record.first_name == "Margaret"

    def test_withdrawing_consent_clears_it(self, as_practitioner, client_record, practitioner):
        client_record.consent_given_at = timezone.now()
        client_record.consent_recorded_by = practitioner
        client_record.save()
        url = reverse("clinic:client-update", args=[client_record.pk])
        as_practitioner.post(url, valid_form(consent="", revision=client_record.revision))
        client_record.refresh_from_db()
        assert client_record.consent_given_at is None

    def test_the_detail_page_shows_who_changed_what(self, as_practitioner, client_record):
        url = reverse("clinic:client-update", args=[client_record.pk])
        unchanged = {f: getattr(client_record, f) for f in CLIENT_TEXT_FIELDS}
        form = valid_form(**unchanged, health_flags=[], consent="", revision=client_record.revision)
        as_practitioner.post(url, {**form, "first_name": "Maggie", "phone": "01632 960000"})
        response = as_practitioner.get(reverse("clinic:client-detail", args=[client_record.pk]))
        history = parse(response.content.decode()).one("ul", cls="history-list")
        # Newest first: when, who (the practitioner's username), which fields.
        changes = [li.text.split(" · ") for li in history.all("li")]
        assert [(who, fields) for _, who, fields in changes] == [
            ("ana", "first name, phone"),
            ("system", "created"),
        ]


class TestArchive:
    def test_archive_and_restore_never_delete(self, as_practitioner, client_record):
        as_practitioner.post(reverse("clinic:client-archive", args=[client_record.pk]))
        client_record.refresh_from_db()
        assert client_record.archived
        listing = as_practitioner.get(reverse("clinic:client-list"))
        assert client_record not in listing.context["clients"]
        archived = as_practitioner.get(reverse("clinic:client-list"), {"status": "archived"})
        assert client_record in archived.context["clients"]
        as_practitioner.post(reverse("clinic:client-restore", args=[client_record.pk]))
        client_record.refresh_from_db()
        assert not client_record.archived
        assert client_record.history.count() == 3


class TestList:
    @pytest.mark.parametrize(
        "query", ["margaret", "HALE", "07700 111222", "maggie.hale@example.com", "marg hal"]
    )
    def test_search_by_name_phone_or_email(self, as_practitioner, practitioner, query):
        ClientFactory(
            clinic=practitioner.clinic,
            first_name="Margaret",
            last_name="Hale",
            phone="07700 111222",
            email="maggie.hale@example.com",
        )
        ClientFactory(
            clinic=practitioner.clinic,
            first_name="Tom",
            last_name="Fletcher",
            phone="01632 000000",
            email="tom@example.com",
        )
        response = as_practitioner.get(reverse("clinic:client-list"), {"q": query})
        names = [c.last_name for c in response.context["clients"]]
        assert names == ["Hale"]

    def test_it_pages_by_name_with_next_and_previous(self, as_practitioner, practitioner):
        """Same names are told apart by their pk: none lost or shown twice between pages."""
        for n in range(30):
            ClientFactory(
                clinic=practitioner.clinic, last_name=f"Name{n // 3:02d}", first_name="Jo"
            )
        everyone = [
            c.pk
            for c in Client.objects.filter(clinic=practitioner.clinic).order_by(
                "last_name", "first_name", "pk"
            )
        ]
        url = reverse("clinic:client-list")

        def page(**params):
            response = as_practitioner.get(url, params)
            assert response.status_code == 200
            html = parse(response.content.decode())
            links = {a.attrs["data-testid"]: a.attrs["href"] for a in html.all("a") if
                     a.attrs.get("data-testid", "").startswith("page-")}  # fmt: skip
            return [c.pk for c in response.context["clients"]], links

        first, links = page()
        assert first == everyone[:25] and set(links) == {"page-next"}
        after = links["page-next"].removeprefix("?after=")
        assert read_position(after, FIELDS) == place_of(everyone[24])
        second, links = page(after=after)
        assert second == everyone[25:] and set(links) == {"page-previous"}
        before = links["page-previous"].removeprefix("?before=")
        assert read_position(before, FIELDS) == place_of(everyone[25])
        assert page(before=before)[0] == everyone[:25]
        assert (
            page(before=position(Client.objects.get(pk=everyone[10]), FIELDS))[0] == (everyone[:10])
        )
        odd_places = ["x", "-1", "²", "9" * 30, str(everyone[-1]), "W10=", "W1tb" * 334]
        for odd in odd_places:
            assert page(after=odd)[0] == everyone[:25], odd  # the first page, never a 500

    def test_a_client_renamed_after_the_page_was_shown_skips_no_one(
        self, as_practitioner, practitioner
    ):
        for n in range(30):
            ClientFactory(clinic=practitioner.clinic, last_name=f"N{n:03d}")
        url = reverse("clinic:client-list")
        first = as_practitioner.get(url)
        last_shown = first.context["clients"][-1]
        Client.objects.filter(pk=last_shown.pk).update(last_name="Zzz")  # renamed meanwhile
        second = as_practitioner.get(url, {"after": first.context["page"].next_after})
        assert [c.last_name for c in second.context["clients"]] == [
            f"N{n:03d}" for n in range(25, 30)
        ] + ["Zzz"]

    def test_a_place_past_the_end_is_an_empty_page_of_this_clinic(
        self, as_practitioner, practitioner
    ):
        ClientFactory.create_batch(3, clinic=practitioner.clinic)
        stranger = ClientFactory(last_name="Zzzz")  # another clinic's, last in the alphabet
        response = as_practitioner.get(
            reverse("clinic:client-list"), {"after": position(stranger, FIELDS)}
        )
        assert response.status_code == 200 and response.context["clients"] == []
        first_page = parse(response.content.decode()).one("a", testid="page-first")
        assert first_page.attrs["href"] == "?"  # the list from its start
        assert "renamed or archived since" in response.content.decode()

    def test_an_unknown_status_falls_back_to_active(self, as_practitioner, client_record):
        response = as_practitioner.get(reverse("clinic:client-list"), {"status": "nonsense"})
        assert response.status_code == 200
        assert response.context["status"] == "active"

    @pytest.mark.parametrize("rows", [1, 30])
    def test_query_count_is_constant(
        self, as_practitioner, practitioner, django_assert_num_queries, rows
    ):
        ClientFactory.create_batch(
            rows,
            clinic=practitioner.clinic,
            primary_practitioner=practitioner,
            health_flags=["anticoagulant", "pregnancy"],
        )
        # session, user, practitioner, clinic (timezone), a page of clients and one more
        # (practitioner joined; no count), the flag labels (once), that page's last sessions.
        with django_assert_num_queries(7):
            response = as_practitioner.get(reverse("clinic:client-list"))
        assert response.content.decode().count("Takes blood thinners") == min(rows, 25)

    @pytest.mark.parametrize("rows", [1, 30])
    def test_dashboard_query_count_is_constant(
        self, as_practitioner, practitioner, django_assert_num_queries, rows
    ):
        for client in ClientFactory.create_batch(rows, clinic=practitioner.clinic):
            TreatmentSessionFactory(client=client, practitioner=practitioner)
        # session, user, practitioner, clinic, the clinic's latest client change and the
        # counts kept for it (clinic/client_counts.py; counted here, the cache is empty),
        # today's appointments (the diary's panel), unsigned sessions (client joined),
        # recent clients.
        with django_assert_num_queries(9):
            response = as_practitioner.get(reverse("clinic:dashboard"))
        assert response.context["counts"]["active"] == rows
        assert len(response.context["unsigned_sessions"]) == min(rows, 10)


def test_the_dashboard_lists_my_sessions_waiting_to_be_signed(
    as_practitioner, practitioner, colleague, client_record
):
    mine = TreatmentSessionFactory(client=client_record, practitioner=practitioner)
    TreatmentSessionFactory(client=client_record, practitioner=colleague)
    TreatmentSessionFactory(
        client=client_record,
        practitioner=practitioner,
        signed_at=timezone.now(),
        signed_by=practitioner,
    )
    response = as_practitioner.get(reverse("clinic:dashboard"))
    assert list(response.context["unsigned_sessions"]) == [mine]


def test_editing_with_bad_input_keeps_what_was_typed_and_saves_nothing(
    as_practitioner, client_record
):
    url = reverse("clinic:client-update", args=[client_record.pk])
    response = as_practitioner.post(
        url,
        valid_form(
            first_name="Maggie",
            email="not-an-email",
            last_name="Hale",
            revision=client_record.revision,
        ),
    )
    assert "email" in response.context["form"].errors
    assert 'value="Maggie"' in response.content.decode()
    client_record.refresh_from_db()
    assert client_record.first_name == "Margaret"
    assert client_record.history.count() == 1


def test_the_client_page_lists_the_points_cautioned_for_their_flags(
    as_practitioner, practitioner, catalogue
):
    client = ClientFactory(clinic=practitioner.clinic, health_flags=["pregnancy"])
    response = as_practitioner.get(reverse("clinic:client-detail", args=[client.pk]))
    section = parse(response.content.decode()).one(testid="health-flags")
    (listed,) = [part for part in section.all(testid="flag-cautions") if "Pregnancy" in part.text]
    links = {a.text: a.attrs["href"] for a in listed.all("a")}
    for code in ("LI4", "SP6", "GB21", "CV4"):
        assert links[code] == reverse("catalogue:point-detail", args=[code])
    note = CautionRule.objects.get(key="pregnancy-point-cv4").practitioner_note
    assert "Avoid CV4: " + note in " ".join(listed.text.split())


def test_the_list_shows_each_clients_last_session(as_practitioner, practitioner, client_record):
    TreatmentSessionFactory(
        client=client_record, started_at=datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC)
    )
    TreatmentSessionFactory(
        client=client_record, started_at=datetime.datetime(2026, 5, 9, 10, tzinfo=datetime.UTC)
    )
    ClientFactory(clinic=practitioner.clinic, first_name="Tom", last_name="Fletcher")
    response = as_practitioner.get(reverse("clinic:client-list"))
    table = parse(response.content.decode()).one("table")
    headings = [th.text for th in table.one("thead").all("th")]
    column = headings.index("Last session")
    last_sessions = {
        row.all("td")[0].text: row.all("td")[column].text for row in table.one("tbody").all("tr")
    }
    assert last_sessions == {"Margaret Hale": "9 May 2026", "Tom Fletcher": "—"}
