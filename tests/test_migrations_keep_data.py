"""Home care left the treatment_sessions app for its own (homecare 0001, treatment_sessions
0003). A database as the old main left it, with real rows, history and a stored PDF, must come
through that move untouched: same rows, same bytes, same history, and the content types (so the
permissions and admin log entries) under the new label.

Health flags became catalogue data (issue 12: catalogue 0003-0005, clinic 0009-0010): a
client's old flags come through as the new vocabulary's codes, losing none, the points move
onto the 17 regions, and a point caution edited in the admin is kept as a caution rule.

The test migrates the test database back to the old leaf nodes, fills it through the old
(historical) models, migrates forward, and compares. It always leaves the database at the latest
migrations; transactional_db then flushes it and Django recreates the content types.
"""

import hashlib
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from catalogue.cautioning import FlagProfile, RuleBook
from catalogue.health_flags import validate_flag_codes
from catalogue.models import CautionRule, Point
from clinic.models import Client
from homecare.models import HomeCareItem, HomeCareSheet
from sessions.models import Amendment, TreatedPoint, TreatmentSession

PROJECT_APPS = {"catalogue", "clinic", "treatment_sessions", "homecare", "letters", "scheduling"}
OLD_PROJECT_NODES = [
    ("catalogue", "0001_initial"),
    ("clinic", "0003_validate_clinic_time_zone"),
    ("treatment_sessions", "0002_add_homecare_sheets"),
]
MOVED = ["homecaresheet", "homecareitem", "historicalhomecaresheet", "historicalhomecareitem"]
# Tables a later migration drops on purpose: clinic 0007, failed logins (counters that
# expire in minutes) are counted by django-axes now; catalogue 0005, the point cautions,
# after catalogue 0004 kept the edited ones as caution rules (the issue-12 test below).
DROPPED = {"clinic_loginfailure", "catalogue_caution"}
STATE_ONLY = {
    ("homecare", "0001_initial"),
    ("treatment_sessions", "0003_move_homecare_to_its_own_app"),
}
# Real PDF bytes: a header with binary marker bytes, NULs and non-ASCII text.
PDF = (
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"stream\n\x00\x01\x02\xff\xfe\x00caf\xc3\xa9 \xe6\xb9\xa7\xe6\xb3\x89 \x00\x00\nendstream\n"
    b"%%EOF\n"
)
T0 = datetime(2026, 11, 2, 9, 30, 15, 123456, tzinfo=UTC)


def plain(value):
    return bytes(value) if isinstance(value, memoryview) else value


def snapshot():
    """Every row of every table, read with raw SQL (bytes as bytes), keyed by table. Not
    SQLite's planner statistics (sqlite_stat1, written by the migrations' ANALYZE): they
    describe the rows, they are not data."""
    tables = sorted(
        name
        for name in set(connection.introspection.table_names()) - {"django_migrations"}
        if not name.startswith("sqlite_stat")
    )
    rows = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")
            names = [column[0] for column in cursor.description]
            rows[table] = [dict(zip(names, map(plain, row), strict=True)) for row in cursor]
    return rows


def same_rows(after, before):
    """The same rows with the same values; columns added by later migrations aside."""
    kept = [{name: row[name] for name in old} for row, old in zip(after, before, strict=False)]
    return len(after) == len(before) and kept == before


def content_types(rows):
    return {row["id"]: (row["app_label"], row["model"]) for row in rows["django_content_type"]}


def migrate(executor, targets, expected_plan, backwards):
    plan = executor.migration_plan(targets)
    # The move, and whatever later migrations came after it.
    assert expected_plan <= {(m.app_label, m.name) for m, _ in plan}
    assert all(is_backwards == backwards for _, is_backwards in plan)
    executor.migrate(targets)
    executor.loader.build_graph()  # the applied migrations changed


def fill_old_database(old_apps):
    """The old main's data, through the old models; returns what to look for afterwards."""

    def make(label, **fields):
        return old_apps.get_model(label).objects.create(**fields)

    o, S = SimpleNamespace(), "treatment_sessions."
    clinic = make("clinic.Clinic", name="Clínica Duarte", time_zone="Europe/Lisbon")
    o.user = user = make("auth.User", username="ana", password="!", is_active=True)
    ana = make("clinic.Practitioner", user=user, clinic=clinic, display_name="Ana")
    lung = make("catalogue.Meridian", code="LU", name="Lung", position=1)
    thumb = make("catalogue.PressureTool", slug="thumb", name="Thumb")
    point = make(
        "catalogue.Point", code="LU7", number=7, pinyin="Lièquē", hanzi="列缺", meridian=lung,
        code_key="lu7", pinyin_key="liequ", default_tool=thumb, self_care=True,
    )  # fmt: skip
    margaret = make("clinic.Client", clinic=clinic, first_name="Margaret", last_name="Hale",
                    health_flags=["pregnancy"])  # fmt: skip
    make("clinic.Client", clinic=clinic, first_name="Zoë", last_name="Ñúñez")
    o.session = make(
        S + "TreatmentSession", client=margaret, practitioner=ana, started_at=T0, pain_before=6,
        pain_after=2, outcome="improved", complaint="Stiff neck", signed_at=T0 + timedelta(hours=1),
        signed_by=ana, caution_acknowledged=True, acknowledged_cautions=["LU7: pregnancy"],
    )  # fmt: skip
    o.treated = make(S + "TreatedPoint", session=o.session, point=point, side="left", tool=thumb,
                     duration_seconds=90, pressure="firm", response="relief")  # fmt: skip
    o.amendment = make(S + "Amendment", session=o.session, amended_by=ana, reason="Typo",
                       changes={"notes": {"old": "", "new": "Neck freer"}})  # fmt: skip
    issued = make(
        S + "HomeCareSheet", client=margaret, session=o.session, created_by=ana, paper="letter",
        general_advice="Press gently.", large_print=True, caution_acknowledged=True,
        acknowledged_cautions=["LU7: pregnancy"], issued_at=T0 + timedelta(hours=2),
        issued_by=ana, pdf=PDF, pdf_sha256=hashlib.sha256(PDF).hexdigest(),
    )  # fmt: skip
    draft = make(S + "HomeCareSheet", client=margaret, session=o.session, created_by=ana,
                 version=2, supersedes=issued)  # fmt: skip
    o.items = [
        make(S + "HomeCareItem", sheet=sheet, position=i, point=point, tool=thumb, side=side,
             duration_seconds=60 * (i + 1), times_per_day=i + 2, instructions=f"{side} — {i}")
        for i, (sheet, side) in enumerate([(issued, "left"), (issued, "right"), (draft, "both")])
    ]  # fmt: skip
    # Read back, so that the values compared later are the stored ones.
    o.sheets = list(old_apps.get_model(S + "HomeCareSheet").objects.order_by("pk"))

    def history(name, obj, kind, hours=0, reason=None):
        Hist = old_apps.get_model(S + name)  # as simple_history writes it: the row, plus when
        names = {f.attname for f in Hist._meta.concrete_fields}
        values = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
        return Hist.objects.create(
            **{name: value for name, value in values.items() if name in names},
            history_type=kind, history_date=T0 + timedelta(hours=hours), history_user_id=user.pk,
            history_change_reason=reason,
        )  # fmt: skip

    o.history = {
        "sheet": [history("HistoricalHomeCareSheet", o.sheets[0], "+"),
                  history("HistoricalHomeCareSheet", o.sheets[0], "~", 2, "Issued"),
                  history("HistoricalHomeCareSheet", o.sheets[1], "+", 3)],
        "item": [history("HistoricalHomeCareItem", item, "+") for item in o.items],
        "session": [history("HistoricalTreatmentSession", o.session, kind) for kind in "+~"],
        "treated": [history("HistoricalTreatedPoint", o.treated, "+")],
    }  # fmt: skip

    # The content types as the old main had them: under treatment_sessions, none under homecare.
    ContentType = old_apps.get_model("contenttypes.ContentType")
    o.cts = {
        name: ContentType.objects.get_or_create(app_label="treatment_sessions", model=name)[0]
        for name in MOVED
    }
    assert not ContentType.objects.filter(app_label="homecare").exists()
    o.permission, _ = old_apps.get_model("auth.Permission").objects.get_or_create(
        content_type=o.cts["homecaresheet"], codename="change_homecaresheet",
        defaults={"name": "Can change home care sheet"},
    )  # fmt: skip
    o.group = make("auth.Group", name="Issuers")
    o.group.permissions.add(o.permission)
    user.groups.add(o.group)
    o.log = make(
        "admin.LogEntry", user=user, content_type=o.cts["homecaresheet"], object_id=str(issued.pk),
        object_repr="Home-care sheet v1", action_flag=2, change_message='[{"changed": {}}]',
    )  # fmt: skip
    return o


def same_values(old, new):
    """Every column the old row had, with the same value (foreign keys by id)."""
    for field in old._meta.concrete_fields:
        assert plain(getattr(new, field.attname)) == plain(getattr(old, field.attname)), field.name


def check_current_models(old):
    ContentType.objects.clear_cache()
    issued, draft = (HomeCareSheet.objects.get(pk=s.pk) for s in old.sheets)
    for sheet, before in zip((issued, draft), old.sheets, strict=True):
        same_values(before, sheet)
    assert bytes(issued.pdf) == PDF
    assert hashlib.sha256(bytes(issued.pdf)).hexdigest() == issued.pdf_sha256
    assert draft.supersedes == issued and list(issued.newer_versions.all()) == [draft]
    assert draft.pdf is None and draft.pdf_sha256 == "" and not draft.is_issued
    assert HomeCareSheet.objects.count() == 2 and HomeCareItem.objects.count() == 3
    for before in old.items:
        same_values(before, HomeCareItem.objects.get(pk=before.pk))
    assert [i.pk for i in issued.items.all()] == [i.pk for i in old.items[:2]]
    same_values(old.session, TreatmentSession.objects.get(pk=old.session.pk))
    same_values(old.treated, TreatedPoint.objects.get(pk=old.treated.pk))
    same_values(old.amendment, Amendment.objects.get(pk=old.amendment.pk))
    assert list(issued.session.homecare_sheets.order_by("pk")) == [issued, draft]

    history = old.history
    for manager, rows in [
        (HomeCareSheet.history, history["sheet"]),
        (HomeCareItem.history, history["item"]),
        (TreatmentSession.history, history["session"]),
        (TreatedPoint.history, history["treated"]),
    ]:
        assert manager.count() == len(rows)
        for row in rows:
            same_values(row, manager.get(history_id=row.history_id))
    assert [h.history_type for h in issued.history.all()] == ["~", "+"]
    assert issued.history.latest().history_change_reason == "Issued"
    assert draft.history.get().supersedes_id == issued.pk
    as_of = HomeCareSheet.history.as_of(T0 + timedelta(hours=2, minutes=1))
    assert [s.pk for s in as_of] == [issued.pk]
    assert HomeCareItem.history.filter(sheet_id=issued.pk).count() == 2

    sheet_type = ContentType.objects.get_for_model(HomeCareSheet)
    assert sheet_type.pk == old.cts["homecaresheet"].pk  # moved, not recreated
    for name, before in old.cts.items():
        assert ContentType.objects.get(pk=before.pk).natural_key() == ("homecare", name)
    assert not ContentType.objects.filter(app_label="treatment_sessions", model__in=MOVED)
    permission = Permission.objects.get(pk=old.permission.pk)
    assert permission.content_type == sheet_type
    assert list(Group.objects.get(pk=old.group.pk).permissions.all()) == [permission]
    user = get_user_model().objects.get(pk=old.user.pk)
    assert user.has_perm("homecare.change_homecaresheet")
    assert not user.has_perm("treatment_sessions.change_homecaresheet")
    log = LogEntry.objects.get(pk=old.log.pk)
    assert log.content_type == sheet_type and log.get_edited_object() == issued


@contextmanager
def old_main_database(nodes=OLD_PROJECT_NODES, undone=STATE_ONLY):
    """The test database migrated back to an old main's leaf nodes (`nodes`; the project's
    apps not named there are unapplied); always forward again. Yields the executor, the
    old nodes, the targets that go back to them, and the latest nodes."""
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    old_nodes = [node for node in latest if node[0] not in PROJECT_APPS] + nodes
    back = old_nodes + [(app, None) for app in sorted(PROJECT_APPS - {app for app, _ in nodes})]
    try:
        migrate(executor, back, undone, backwards=True)
        assert not executor.loader.applied_migrations.keys() & undone
        yield executor, old_nodes, back, latest
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        ContentType.objects.clear_cache()


# transaction=True is the transactional_db fixture: migrations can't run in a test's transaction.
@pytest.mark.django_db(transaction=True)
def test_moving_home_care_to_its_own_app_keeps_every_row():
    with old_main_database() as (executor, old_nodes, back, latest):
        old = fill_old_database(executor.loader.project_state(old_nodes).apps)
        before = snapshot()
        raw_pdf = [r["pdf"] for r in before["treatment_sessions_homecaresheet"]]
        assert raw_pdf == [PDF, None]

        migrate(executor, latest, STATE_ONLY, backwards=False)
        after = snapshot()
        old_types, new_types = content_types(before), content_types(after)
        moved = {
            pk: ("homecare", name)
            for pk, (label, name) in old_types.items()
            if label == "treatment_sessions" and name in MOVED
        }
        assert len(moved) == 4 and new_types == {**old_types, **moved}
        for table in before.keys() - {"django_content_type"} - DROPPED:
            assert same_rows(after[table], before[table]), table
        assert before.keys() - DROPPED <= after.keys()  # later migrations may add tables
        check_current_models(old)

        # And back to the old main, and forward again: still every row.
        migrate(executor, back, STATE_ONLY, backwards=True)
        assert snapshot() == before
        migrate(executor, latest, STATE_ONLY, backwards=False)
        assert snapshot() == after
        check_current_models(old)


@pytest.mark.django_db(transaction=True)
def test_a_homecare_content_type_made_before_migrating_takes_over_the_old_one():
    with old_main_database() as (executor, old_nodes, back, latest):
        old = fill_old_database(executor.loader.project_state(old_nodes).apps)
        # The new code served a request (an admin log entry, say) before `migrate` ran.
        ContentType.objects.clear_cache()
        ContentType.objects.get_for_model(HomeCareSheet)
        migrate(executor, latest, STATE_ONLY, backwards=False)
        ContentType.objects.clear_cache()
        assert not ContentType.objects.filter(app_label="treatment_sessions", model__in=MOVED)
        assert (
            get_user_model().objects.get(pk=old.user.pk).has_perm("homecare.change_homecaresheet")
        )
        assert LogEntry.objects.get(pk=old.log.pk).get_edited_object().pk == old.sheets[0].pk


# --- issue 12: health flags and caution rules became catalogue data ----------------------

BEFORE_CAUTION_RULES = [
    ("catalogue", "0002_retire_conditions_and_tools"),
    ("clinic", "0008_api_tokens"),
    ("treatment_sessions", "0006_amendment_role"),
    ("homecare", "0003_add_revision"),
]
FLAGS_MAPPED = {
    ("catalogue", "0004_seed_flags_regions_and_keep_edited_cautions"),
    ("clinic", "0010_health_flags_from_the_catalogue"),
}
# A client's old flags, and what they are now: the old "recent surgery or fracture" and
# "skin lesions or varicose veins" each stood for two flags, so the client gets both.
OLD_AND_NEW_FLAGS = [
    (["blood_thinners", "pregnancy"], ["anticoagulant", "pregnancy"]),
    (["recent_surgery"], ["recent_fracture", "recent_surgery"]),
    (["skin_lesions", "epilepsy"], ["epilepsy", "skin_broken", "varicose_veins"]),
    (
        ["osteoporosis", "high_blood_pressure", "cancer"],
        ["cancer", "high_blood_pressure", "osteoporosis"],
    ),
    ([], []),
]
OLD_AND_NEW_REGIONS = {
    "SP6": ("leg", "lower_leg"),
    "GB30": ("hip", "thigh"),
    "GV20": ("head_face", "head"),
    "LI4": ("hand", "hand"),
}
EDITED_NOTE = "Her veins bulge at SP6: press beside them, never on them."
ADDED_NOTE = "Bruises on the hip with her warfarin: light touch only."
SHIPPED_NOTE = "Traditionally avoided in pregnancy: use practitioner judgement."


def fill_before_caution_rules(old_apps):
    def make(label, **fields):
        return old_apps.get_model(label).objects.create(**fields)

    clinic = make("clinic.Clinic", name="Clínica Duarte")
    thumb = make("catalogue.PressureTool", slug="thumb", name="Thumb")
    points = {}
    for position, (code, (region, _)) in enumerate(OLD_AND_NEW_REGIONS.items()):
        meridian = make("catalogue.Meridian", code=code[:2], name=code[:2], position=position)
        number = int(code[2:])
        points[code] = make(
            "catalogue.Point", code=code, number=number, pinyin=f"Point {code}", hanzi="穴",
            meridian=meridian, code_key=code.lower(), pinyin_key=f"point{code.lower()}",
            default_tool=thumb, region=region,
        )  # fmt: skip
    clients = [
        make("clinic.Client", clinic=clinic, first_name=f"Client {n}", last_name="Hale",
             health_flags=old, health_history=f"History {n}")
        for n, (old, _) in enumerate(OLD_AND_NEW_FLAGS)
    ]  # fmt: skip
    Caution = old_apps.get_model("catalogue.Caution")
    Caution.objects.create(point=points["SP6"], flag="pregnancy", note=SHIPPED_NOTE)  # as shipped
    Caution.objects.create(
        point=points["SP6"], flag="skin_lesions", note=EDITED_NOTE, sources="OWN"
    )
    Caution.objects.create(point=points["GB30"], flag="blood_thinners", note=ADDED_NOTE)
    return SimpleNamespace(clients=clients, points=points)


def without(rows, *columns):
    return [{name: value for name, value in row.items() if name not in columns} for row in rows]


@pytest.mark.django_db(transaction=True)
def test_old_health_flags_and_edited_cautions_come_through_as_the_new_vocabulary():
    with old_main_database(BEFORE_CAUTION_RULES, FLAGS_MAPPED) as (executor, old_nodes, _, latest):
        old = fill_before_caution_rules(executor.loader.project_state(old_nodes).apps)
        before = snapshot()
        migrate(executor, latest, FLAGS_MAPPED, backwards=False)
        after = snapshot()

        # Every client keeps every flag, under the vocabulary's codes, and nothing else changes.
        for client, (_, new) in zip(old.clients, OLD_AND_NEW_FLAGS, strict=True):
            flags = Client.objects.get(pk=client.pk).health_flags
            assert flags == new, client.first_name
            validate_flag_codes(flags)  # each one is in the HealthFlag table
        assert same_rows(
            without(after["clinic_client"], "health_flags"),
            without(before["clinic_client"], "health_flags"),
        )
        for code, (_, region) in OLD_AND_NEW_REGIONS.items():
            assert Point.objects.get(pk=old.points[code].pk).region == region, code

        # The edited and the added caution are rules now; the shipped one comes back with
        # the next catalogue load, so it is not copied.
        kept = {rule.key: rule for rule in CautionRule.objects.select_related("flag", "point")}
        assert set(kept) == {"kept-sp6-skin-lesions", "kept-gb30-blood-thinners"}
        veins, bruising = kept["kept-sp6-skin-lesions"], kept["kept-gb30-blood-thinners"]
        assert (veins.flag.code, veins.scope, veins.point.code, veins.action) == (
            "varicose_veins", "point", "SP6", "caution_note",
        )  # fmt: skip
        assert (veins.practitioner_note, veins.sources, veins.is_active) == (
            EDITED_NOTE,
            "OWN",
            True,
        )
        assert (bruising.flag.code, bruising.point.code) == ("anticoagulant", "GB30")
        assert bruising.practitioner_note == ADDED_NOTE

        # And they warn: the rule engine meets the kept rule for a client with the flag.
        sp6 = Point.objects.get(code="SP6")
        book = RuleBook(
            FlagProfile.build(recorded=Client.objects.get(pk=old.clients[2].pk).health_flags)
        )
        assert veins in book.at_point(sp6)
        assert veins not in RuleBook(FlagProfile.build(recorded=["pregnancy"])).at_point(sp6)


# The records that came to carry their client's clinic: (app, the migration before, the one
# that adds it, the model, the fields besides the client, from its practitioner and client
# and the old state's `make`).
CLINIC_BACKFILLS = {
    "sessions": (
        "treatment_sessions",
        "0009_hold_timer",
        "0010_session_clinic_and_indexes",
        "TreatmentSession",
        lambda who, client, make: {"practitioner": who, "started_at": T0, "pain_before": 5},
    ),
    "sheets": (
        "homecare",
        "0004_sheet_newest_index",
        "0005_sheet_clinic",
        "HomeCareSheet",
        lambda who, client, make: {"created_by": who},
    ),
    "letters": (
        "letters",
        "0001_referral_letters",
        "0002_letter_clinic",
        "ReferralLetter",
        lambda who, client, make: {
            "created_by": who,
            "session": make(
                "treatment_sessions.TreatmentSession",
                client=client,
                clinic_id=client.clinic_id,
                practitioner=who,
                started_at=T0,
                pain_before=5,
            ),
        },
    ),
}


@pytest.mark.parametrize("kind", CLINIC_BACKFILLS)
@pytest.mark.django_db(transaction=True)
def test_each_record_and_its_history_get_their_clients_clinic(kind):
    app, before, adding, model, fields_for = CLINIC_BACKFILLS[kind]
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    nodes = [node for node in leaves if node[0] in PROJECT_APPS - {app}]
    nodes.append((app, before))
    with old_main_database(nodes, {(app, adding)}) as (executor, old_nodes, _, latest):
        old_apps = executor.loader.project_state(old_nodes).apps

        def make(label, **fields):
            return old_apps.get_model(label).objects.create(**fields)

        clinic_of = {}
        for name in ["North", "South"]:
            clinic = make("clinic.Clinic", name=name)
            user = make("auth.User", username=name, password="!")
            who = make("clinic.Practitioner", user=user, clinic=clinic, display_name=name)
            client = make("clinic.Client", clinic=clinic, first_name="A", last_name=name)
            record = make(f"{app}.{model}", client=client, **fields_for(who, client, make))
            history = old_apps.get_model(f"{app}.Historical{model}")
            names = {f.attname for f in history._meta.concrete_fields}
            row = {f.attname: getattr(record, f.attname) for f in record._meta.concrete_fields}
            history.objects.create(**{k: v for k, v in row.items() if k in names},
                                   history_date=T0, history_type="+")  # fmt: skip
            clinic_of[record.pk] = clinic.pk

        migrate(executor, latest, {(app, adding)}, backwards=False)

        now = apps.get_model(app, model)
        assert dict(now.objects.values_list("pk", "clinic_id")) == clinic_of
        assert dict(now.history.values_list("id", "clinic_id")) == clinic_of
