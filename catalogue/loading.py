"""Load the shipped catalogue (catalogue/data/) into the database.

Idempotent: a second load changes nothing. A point edited in the admin since it was
last loaded keeps its edits unless force=True. Nothing is ever deleted.
"""

import csv
import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from .caution_rules import CautionRule, Scope, WarningSign
from .fingerprints import FIELDS, fingerprint
from .health_flags import HealthFlag
from .models import Condition, Indication, Meridian, Point, PressureTool

TENTH = Decimal("0.1")
DATA = Path(__file__).resolve().parent / "data"
MERIDIAN_ORDER = "LU LI ST SP HT SI BL KI PC TE GB LR GV CV EX".split()
EDITABLE_FIELDS = FIELDS


def read_csv(name):
    with open(DATA / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def current_values(point):
    return {name: getattr(point, name) for name in EDITABLE_FIELDS}


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    kept_edits: list = field(default_factory=list)

    def lines(self):
        kinds = sorted(set(self.created) | set(self.updated))
        yield from (
            f"{kind}: {self.created[kind]} created, {self.updated[kind]} updated" for kind in kinds
        )
        if self.kept_edits:
            yield (
                f"kept admin edits on {len(self.kept_edits)} points "
                f"({', '.join(self.kept_edits[:10])}{'…' if len(self.kept_edits) > 10 else ''}); "
                "use --force to overwrite them"
            )


def upsert(model, lookup, values, report, kind, force=True):
    obj, created = model.objects.get_or_create(**lookup, defaults=values)
    if created:
        report.created[kind] += 1
    elif force and any(getattr(obj, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(obj, k, v)
        obj.save()
        report.updated[kind] += 1
    return obj


def shipped_points(meridians, tools):
    texts = {row["code"]: row for row in read_csv("point_texts.csv")}
    regions = {row["code"]: row["region"] for row in read_csv("point_regions.csv")}
    positions = {row["code"]: row for row in read_csv("point_positions.csv")}
    for row in read_csv("who_points.csv") + read_csv("extra_points.csv"):
        code = row["code"]
        text = texts.get(code, {})
        place = positions.get(code, {})
        yield (
            code,
            {
                "meridian_id": meridians[row["meridian_code"]].pk,
                "number": int(row["number"]),
                "pinyin": row["pinyin"],
                "hanzi": row["hanzi"],
                "hanzi_simplified": row["hanzi_simplified"],
                "english_name": text.get("english_name", ""),
                "region": regions.get(code, ""),
                "location": text.get("location", ""),
                "self_care_instructions": text.get("self_care_instructions", ""),
                "default_tool_id": tools[text["default_tool"]].pk
                if text.get("default_tool")
                else None,
                "self_care": text.get("self_care") == "yes",
                "self_care_with": text.get("self_care_with", ""),
                "not_self_care_reason": text.get("not_self_care_reason", ""),
                "default_duration_seconds": int(text.get("default_duration_seconds") or 180),
                "duration_note": text.get("duration_note", ""),
                "cautions": text.get("cautions", ""),
                "figure": place.get("view", ""),
                "figure_x": Decimal(place["x"]).quantize(TENTH) if place else None,
                "figure_y": Decimal(place["y"]).quantize(TENTH) if place else None,
            },
        )


@transaction.atomic
def load_catalogue(force=False):
    report = LoadReport()
    meridians = {}
    for row in read_csv("who_points.csv") + read_csv("extra_points.csv"):
        code = row["meridian_code"]
        if code not in meridians:
            meridians[code] = upsert(
                Meridian,
                {"code": code},
                {"name": row["meridian_name"], "position": MERIDIAN_ORDER.index(code)},
                report,
                "meridians",
            )
    tools = {
        row["slug"]: upsert(
            PressureTool,
            {"slug": row["slug"]},
            {
                "name": row["name"],
                "how_to_use": row["how_to_use"],
                "self_applicable": row["self_applicable"] == "yes",
                "position": position,
            },
            report,
            "tools",
            force=force,
        )
        for position, row in enumerate(read_csv("tools.csv"))
    }
    existing = {p.code: p for p in Point.objects.all()}
    new_points = []
    for code, values in shipped_points(meridians, tools):
        if code in existing:
            update_point(existing[code], values, force, report)
        else:
            new_points.append(new_point(code, values))
    if new_points:
        bulk_create_with_history(new_points, Point)
        report.created["points"] += len(new_points)
    points = {p.code: p for p in Point.objects.all()}
    load_conditions(points, report, force)
    load_health_flags(report, force)
    load_caution_rules(points, tools, report, force)
    load_warning_signs(report, force)
    return report


def new_point(code, values):
    point = Point(code=code, shipped_fingerprint=fingerprint(values), **values)
    point.set_search_keys()
    return point


def update_point(point, values, force, report):
    shipped = fingerprint(values)
    current = fingerprint(current_values(point))
    if current == shipped and point.shipped_fingerprint == shipped:
        return
    if current != point.shipped_fingerprint and not force:
        report.kept_edits.append(point.code)
        place_if_unplaced(point, values, report)
        return
    for name, value in values.items():
        setattr(point, name, value)
    point.shipped_fingerprint = shipped
    point.save()
    report.updated["points"] += 1


PICTURE_FIELDS = ["figure", "figure_x", "figure_y"]


def place_if_unplaced(point, values, report):
    """An edited point with no place on a view (the old whole-body figures were cleared by
    migration 0006) takes the shipped place; its edited text stays as it is."""
    if point.figure or not values["figure"]:
        return
    for name in PICTURE_FIELDS:
        setattr(point, name, values[name])
    point.save(update_fields=PICTURE_FIELDS)
    report.updated["points placed on a view (their edits kept)"] += 1


def load_conditions(points, report, force):
    indications = read_csv("indications.csv")
    for row in read_csv("conditions.csv"):
        condition = upsert(
            Condition,
            {"slug": row["slug"]},
            {
                "name": row["name"],
                "body_area": row["body_area"],
                "description": row["description"],
                "synonyms": row["synonyms"],
            },
            report,
            "conditions",
            force=force,
        )
        wanted_sources = set(row["sources_filter"].split())
        for cited in indications:
            if cited["topic"] not in row["topics"].split() or cited["code"] not in points:
                continue
            sources = cited["sources"].split()
            if wanted_sources:
                sources = [s for s in sources if s in wanted_sources]
                if not sources:
                    continue
            upsert(
                Indication,
                {"point": points[cited["code"]], "condition": condition},
                {
                    "source_count": len(sources) if wanted_sources else int(cited["n_sources"]),
                    "sources": " ".join(sources),
                },
                report,
                "indications",
            )


def values_fingerprint(values: dict) -> str:
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


def load_all_shipped(model, key_name, rows, report, kind, force) -> dict:
    """Create or update shipped rows ({key: values}) by their key, read in one query, the
    new ones made in one insert with their history; an admin edit is kept (load_shipped)."""
    existing = model.objects.in_bulk(list(rows), field_name=key_name)
    new = [
        model(**{key_name: key}, **values, shipped_fingerprint=values_fingerprint(values))
        for key, values in rows.items()
        if key not in existing
    ]
    for obj in new:
        if hasattr(obj, "set_derived_fields"):
            obj.set_derived_fields()
    if new:
        bulk_create_with_history(new, model)
        report.created[kind] += len(new)
    for key, values in rows.items():
        if key in existing:
            load_shipped(model, {key_name: key}, values, report, kind, force, obj=existing[key])
    return model.objects.in_bulk(list(rows), field_name=key_name)


def load_shipped(model, key, values, report, kind, force, obj=None):
    """Create or update one shipped row by its key, keeping an admin edit (a row whose
    values no longer match the fingerprint it was loaded with) unless forced."""
    shipped = values_fingerprint(values)
    obj = obj or model.objects.filter(**key).first()
    if obj is None:
        obj = model(**key, **values, shipped_fingerprint=shipped)
        obj.save()
        report.created[kind] += 1
        return obj
    now = values_fingerprint({name: getattr(obj, name) for name in values})
    if now == shipped and obj.shipped_fingerprint == shipped:
        return obj
    # A row seeded by a migration has no fingerprint yet: the shipped values fill it in.
    if obj.shipped_fingerprint and now != obj.shipped_fingerprint and not force:
        report.kept_edits.append(f"{kind[:-1]} {next(iter(key.values()))}")
        return obj
    for name, value in values.items():
        setattr(obj, name, value)
    obj.shipped_fingerprint = shipped
    obj.save()
    report.updated[kind] += 1
    return obj


def _number(text):
    return int(text) if text else None


def shipped_health_flags():
    """(code, values) of the shipped flag vocabulary; catalogue 0004 seeds it too."""
    for position, row in enumerate(read_csv("health_flags.csv")):
        yield (
            row["code"],
            {
                "label": row["label"],
                "kind": row["kind"],
                "has_site": row["has_site"] == "yes",
                "under_age": _number(row["under_age"]),
                "from_age": _number(row["from_age"]),
                "suggested_max_seconds": _number(row["suggested_max_seconds"]),
                "check_in_question": row["check_in_question"],
                "description": row["description"],
                "position": position,
            },
        )


def load_health_flags(report, force):
    for code, values in shipped_health_flags():
        load_shipped(HealthFlag, {"code": code}, values, report, "health flags", force)


FACT_TOOLS = {"eraser": "pencil-eraser"}
SITE_FOLLOWING_FLAGS = {
    "lymphoedema",
    "implanted_device",
}  # the facts' tool names that differ from our slugs


def rule_target(row, points, tools) -> dict:
    """The facts' scope and target as the rule's fields (whole_body/flag_site is a scope
    of its own here)."""
    scope, target = row["scope"], row["target"]
    if scope == "whole_body":
        return {"scope": Scope.FLAG_SITE if target == "flag_site" else Scope.WHOLE_BODY}
    if scope == "point":
        return {"scope": Scope.POINT, "point_id": points[target].pk}
    if scope == "tool":
        return {"scope": Scope.TOOL, "tool_id": tools[FACT_TOOLS.get(target, target)].pk}
    if scope == "pressure":
        return {"scope": Scope.PRESSURE, "pressure": target}
    # The lymphoedema limb rules hold on the recorded limb and side only (facts' NOTES); the
    # device rules near the device recorded (a pacemaker's chest, a new hip's thigh).
    near_the_site = row["flag"] in SITE_FOLLOWING_FLAGS
    return {"scope": Scope.REGION, "region": target, "same_side_only": near_the_site}


def load_caution_rules(points, tools, report, force):
    flags = {flag.code: flag for flag in HealthFlag.objects.all()}
    blank = {
        "point_id": None,
        "region": "",
        "tool_id": None,
        "pressure": "",
        "same_side_only": False,
    }
    rows = {
        row["key"]: {
            "flag_id": flags[row["flag"]].pk,
            **blank,
            **rule_target(row, points, tools),
            "action": row["action"],
            "practitioner_note": row["practitioner_note"],
            "client_note": row["client_note"],
            "sources": row["sources"],
            "strength": row["strength"],
        }
        for row in read_csv("caution_rules.csv")
    }
    load_all_shipped(CautionRule, "key", rows, report, "caution rules", force)


def load_warning_signs(report, force):
    conditions = {c.slug: c for c in Condition.objects.all()}
    by_group = {}
    for row in read_csv("conditions.csv"):
        for group in row["warning_signs"].split():
            by_group.setdefault(group, []).append(conditions[row["slug"]])
    shipped = read_csv("warning_signs.csv")
    rows = {
        row["key"]: {
            "sign": row["sign"],
            "client_wording": row["client_wording"],
            "urgency": row["urgency"],
            "any_condition": row["group"] == "any",
            "sources": row["sources"],
            "position": position,
        }
        for position, row in enumerate(shipped)
    }
    signs = load_all_shipped(WarningSign, "key", rows, report, "warning signs", force)
    linked = set(
        WarningSign.conditions.through.objects.filter(warningsign__in=signs.values()).values_list(
            "warningsign_id", flat=True
        )
    )
    # A sign's conditions are set once; an admin's choice of them is kept.
    WarningSign.conditions.through.objects.bulk_create(
        WarningSign.conditions.through(warningsign_id=signs[row["key"]].pk, condition_id=c.pk)
        for row in shipped
        if signs[row["key"]].pk not in linked
        for c in by_group.get(row["group"], [])
    )
    link_sign_flags(signs, shipped)


def link_sign_flags(signs, shipped):
    """The flags a sign is kept for (empty: every client), set once like its conditions."""
    through = WarningSign.for_flags.through
    flags = {f.code: f.pk for f in HealthFlag.objects.all()}
    linked = set(
        through.objects.filter(warningsign__in=signs.values()).values_list(
            "warningsign_id", flat=True
        )
    )
    through.objects.bulk_create(
        through(warningsign_id=signs[row["key"]].pk, healthflag_id=flags[code])
        for row in shipped
        if signs[row["key"]].pk not in linked
        for code in row["for_flags"].split()
    )
