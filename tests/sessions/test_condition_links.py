"""A session's conditions are links with a history of their own: each one added or removed
on a draft is recorded with who and when, and the move to them kept every existing link."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from sessions.condition_links import set_conditions
from sessions.models import SessionCondition, TreatmentSession

from ..factories import ConditionFactory, PointFactory
from .page_support import session_form
from .session_api_support import detail

LINKS_TABLE = "treatment_sessions_treatmentsession_conditions"


@pytest.fixture
def conditions(db):
    PointFactory(code="LI4", number=4)
    PointFactory(code="GB20", number=20)
    return [ConditionFactory(name=name) for name in ("Neck pain", "Headache", "Insomnia")]


def link_history(session):
    return [
        (h.history_type, h.condition.name, h.history_user)
        for h in SessionCondition.history.filter(session=session).order_by("history_id")
    ]


def test_links_changed_on_a_draft_page_are_recorded_with_the_user(
    as_practitioner, client_record, practitioner, conditions
):
    create = reverse("sessions:session-create", args=[client_record.pk])
    as_practitioner.post(create, session_form(conditions=["neck-pain", "headache"]))
    session = TreatmentSession.objects.get()
    update = reverse("sessions:session-update", args=[session.pk])
    edited = session_form(conditions=["headache", "insomnia"], revision=session.revision)
    assert as_practitioner.post(update, edited).status_code == 302

    user = practitioner.user
    assert link_history(session) == [
        ("+", "Headache", user),
        ("+", "Neck pain", user),
        ("-", "Neck pain", user),
        ("+", "Insomnia", user),
    ]
    assert [c.name for c in session.conditions.all()] == ["Headache", "Insomnia"]


def test_links_changed_through_the_api_are_recorded_with_the_user(
    api_as_practitioner, client_record, practitioner, conditions
):
    session = TreatmentSession.objects.create(
        client=client_record, practitioner=practitioner, started_at=datetime.now(UTC), pain_before=5
    )
    response = api_as_practitioner.patch(
        detail(session), {"conditions": ["insomnia"]}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert link_history(session) == [("+", "Insomnia", practitioner.user)]


def test_saving_a_draft_with_the_same_conditions_records_nothing(
    as_practitioner, client_record, conditions
):
    create = reverse("sessions:session-create", args=[client_record.pk])
    as_practitioner.post(create, session_form(conditions=["neck-pain", "headache"]))
    session = TreatmentSession.objects.get()
    rows = SessionCondition.history.count()
    update = reverse("sessions:session-update", args=[session.pk])
    same = session_form(conditions=["headache", "neck-pain"], notes="Only the notes")
    assert as_practitioner.post(update, {**same, "revision": session.revision}).status_code == 302
    assert SessionCondition.history.count() == rows == 2


# --- the migration ------------------------------------------------------------------------


def raw_links():
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, treatmentsession_id, condition_id FROM {LINKS_TABLE} ORDER BY id"
        )
        return cursor.fetchall()


@pytest.mark.django_db(transaction=True)
def test_the_move_to_links_keeps_every_existing_one():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    (move,) = [
        key
        for key in executor.loader.disk_migrations
        if key[0] == "treatment_sessions" and key[1].endswith("_session_condition_links")
    ]
    before_move = [
        dep for dep in executor.loader.get_migration(*move).dependencies if dep[0] == move[0]
    ]
    # An app whose migrations need the session app's later ones (letters) is unapplied.
    kept = set(executor.loader.graph.forwards_plan(before_move[0]))
    later = [
        node
        for node in latest
        if node[0] != move[0]
        and any(
            dep[0] == move[0] and dep not in kept
            for dep in executor.loader.graph.forwards_plan(node)
        )
    ]
    targets = [node for node in latest if node[0] != move[0] and node not in later] + before_move
    back = targets + [(app, None) for app, _ in later]
    try:
        executor.migrate(back)
        old = MigrationExecutor(connection).loader.project_state(targets).apps

        def make(label, **fields):
            return old.get_model(label).objects.create(**fields)

        clinic = make("clinic.Clinic", name="Clínica Duarte", time_zone="Europe/Lisbon")
        user = make("auth.User", username="ana", password="!")
        ana = make("clinic.Practitioner", user=user, clinic=clinic, display_name="Ana")
        client = make("clinic.Client", clinic=clinic, first_name="Margaret", last_name="Hale")
        neck, head = (make("catalogue.Condition", name=n, slug=n) for n in ("neck", "head"))
        sessions = []
        for wanted in ([neck, head], [head]):
            sessions.append(
                make(
                    "treatment_sessions.TreatmentSession",
                    client=client,
                    practitioner=ana,
                    started_at=datetime(2026, 11, 2, 9, 30, tzinfo=UTC),
                    pain_before=6,
                )
            )
            sessions[-1].conditions.add(*wanted)
        links = raw_links()
        assert len(links) == 3

        MigrationExecutor(connection).migrate(latest)
        assert raw_links() == links
        assert list(SessionCondition.objects.values_list("id", "session", "condition")) == links
        first = TreatmentSession.objects.get(pk=sessions[0].pk)
        assert [c.slug for c in first.conditions.order_by("slug")] == ["head", "neck"]
        set_conditions(first, [first.conditions.get(slug="head")])
        assert [h.history_type for h in SessionCondition.history.all()] == ["-"]
        kept = [link for link in links if link[1:] != (first.pk, neck.pk)]

        MigrationExecutor(connection).migrate(back)  # and back: the links stay
        assert raw_links() == kept and len(kept) == 2
    finally:
        MigrationExecutor(connection).migrate(latest)


def test_the_session_admin_shows_the_condition_history(
    client, as_practitioner, client_record, practitioner, conditions
):
    create = reverse("sessions:session-create", args=[client_record.pk])
    as_practitioner.post(create, session_form(conditions=["neck-pain"]))
    session = TreatmentSession.objects.get()
    set_conditions(session, [])
    client.force_login(get_user_model().objects.create_superuser("root", "r@example.com", "pw"))
    page = client.get(
        reverse("admin:treatment_sessions_treatmentsession_change", args=[session.pk])
    )
    inline = next(
        f
        for f in page.context["inline_admin_formsets"]
        if f.opts.verbose_name_plural == "condition history"
    )
    shown = [(form.original.history_type, str(form.original.condition)) for form in inline]
    assert shown == [("+", "Neck pain"), ("-", "Neck pain")]
    assert "removed" in page.content.decode()
