"""The rule engine: which caution rules meet a client, at which point, tool and pressure.

The one place the rules are applied. A `FlagProfile` says what is true of the client (their
recorded flags with sites, the flags their age brings, the check-in's findings for today);
a `RuleBook` holds the active rules for those flags, read once, and answers for a row of a
session or a sheet, and for the client as a whole."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .caution_rules import (
    ACTION_ORDER,
    PRESSURE_ORDER,
    Action,
    CautionRule,
    PressureLevel,
    Scope,
)
from .health_flags import LIMBS, FlagKind, HealthFlag

EVERYONE = "all_clients"
LOCATION_SCOPES = {Scope.POINT, Scope.REGION, Scope.FLAG_SITE}


@dataclass(frozen=True)
class Site:
    region: str
    side: str = "both"


@dataclass(frozen=True)
class FlagProfile:
    """What calls for care with this client today. `sites` holds the recorded sites of the
    flags that have them; `reasons` says why a flag that is not recorded applies ("aged 8")."""

    codes: frozenset[str]
    sites: Mapping[str, tuple[Site, ...]] = field(default_factory=dict)
    reasons: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        *,
        recorded: Iterable[str],
        sites: Mapping[str, list[dict]] | None = None,
        age: int | None = None,
        found_today: Iterable[str] = (),
    ) -> "FlagProfile":
        codes = {*recorded, *found_today, EVERYONE}
        reasons = {code: "found at today's check-in" for code in found_today}
        if age is not None:
            for flag in HealthFlag.objects.active().filter(kind=FlagKind.AGE):
                if flag.applies_at_age(age) and flag.code not in codes:
                    codes.add(flag.code)
                    reasons[flag.code] = f"aged {age}"
        return cls(
            codes=frozenset(codes),
            sites={
                code: tuple(Site(s["region"], s["side"]) for s in listed)
                for code, listed in (sites or {}).items()
            },
            reasons=reasons,
        )


def sides_meet(a: str, b: str) -> bool:
    return a == b or {a, b} & {"both", "midline"} != set()


def pressure_at_least(pressure: str, level: str) -> bool:
    return PRESSURE_ORDER[PressureLevel(pressure)] >= PRESSURE_ORDER[PressureLevel(level)]


@dataclass(frozen=True)
class Finding:
    """A rule met at a row (or by the whole client, `point` None). `breached` when the row
    goes against it (an avoid, or more than light pressure under a light-only rule): such a
    finding needs the practitioner's acknowledgement, by its `label`."""

    rule: CautionRule
    point_code: str = ""
    breached: bool = False

    @property
    def label(self) -> str:
        where = f"{self.point_code} " if self.rule.scope in LOCATION_SCOPES else ""
        return f"{where}{self.rule.flag.label}: {self.rule.short}"

    def as_dict(self) -> dict:
        rule = self.rule
        return {
            "label": self.label,
            "rule": rule.key,
            "flag": rule.flag.code,
            "flag_label": rule.flag.label,
            "scope": rule.scope,
            "action": rule.action,
            "action_label": rule.get_action_display(),
            "strength": rule.strength,
            "strength_label": rule.strength_label,
            "general_knowledge": rule.general_knowledge,
            "practitioner_note": rule.practitioner_note,
            "client_note": rule.client_note,
            "needs_acknowledgement": self.breached,
        }


def strongest_first(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (not f.breached, ACTION_ORDER.index(f.rule.action)))


class RuleBook:
    def __init__(self, profile: FlagProfile, rules: Iterable[CautionRule] | None = None):
        self.profile = profile
        if rules is None:
            rules = CautionRule.objects.for_flags(profile.codes)
        self.rules = [rule for rule in rules if rule.flag.code in profile.codes]

    # -- a row ---------------------------------------------------------------------------
    def at_point(self, point, side: str = "both") -> list[CautionRule]:
        """The location rules met at this point on this side."""
        return [rule for rule in self.rules if self._meets_location(rule, point, side)]

    def for_row(self, *, point, side: str, tool, pressure: str) -> list[Finding]:
        findings = []
        for rule in self.rules:
            if rule.scope in LOCATION_SCOPES:
                if self._meets_location(rule, point, side):
                    findings.append(self._finding(rule, point, pressure))
            elif rule.scope == Scope.TOOL:
                if tool is not None and rule.tool_id == tool.pk:
                    findings.append(Finding(rule, point.code, rule.action == Action.AVOID))
            elif rule.scope == Scope.PRESSURE:
                if pressure_at_least(pressure, rule.pressure):
                    findings.append(Finding(rule, point.code, rule.action == Action.AVOID))
            elif rule.action in (Action.AVOID, Action.LIGHT_ONLY):  # whole body
                findings.append(self._finding(rule, point, pressure))
        return strongest_first(findings)

    def _finding(self, rule, point, pressure) -> Finding:
        if rule.action == Action.AVOID:
            return Finding(rule, point.code, True)
        if rule.action == Action.LIGHT_ONLY:
            return Finding(rule, point.code, pressure != PressureLevel.LIGHT)
        return Finding(rule, point.code, False)

    def _meets_location(self, rule, point, side) -> bool:
        if rule.scope == Scope.POINT:
            return rule.point_id == point.pk
        if rule.scope == Scope.REGION:
            if rule.region != point.region:
                return False
            if not rule.same_side_only:
                return True
            sites = self.profile.sites.get(rule.flag.code, ())
            if not sites:
                return True  # where is not recorded: warn everywhere it could be
            return any(
                near(site.region, point.region) and sides_meet(site.side, side) for site in sites
            )
        if rule.scope == Scope.FLAG_SITE:
            return any(
                site.region == point.region and sides_meet(site.side, side)
                for site in self.profile.sites.get(rule.flag.code, ())
            )
        return False

    # -- the client as a whole -----------------------------------------------------------
    def whole_client(self) -> list[CautionRule]:
        """The rules that hold wherever one presses: tools, pressures and the whole body."""
        return [r for r in self.rules if r.scope not in LOCATION_SCOPES]

    def excluded_tools(self) -> set[int]:
        return {r.tool_id for r in self.rules if r.scope == Scope.TOOL and r.action == Action.AVOID}

    def light_only_everywhere(self) -> bool:
        return any(
            r.scope == Scope.WHOLE_BODY and r.action == Action.LIGHT_ONLY for r in self.rules
        ) or any(
            r.scope == Scope.PRESSURE
            and r.action == Action.AVOID
            and r.pressure == PressureLevel.MODERATE
            for r in self.rules
        )

    def avoid_today(self) -> list[CautionRule]:
        """Whole-body avoid rules (a fever, a hot calf): no treatment today."""
        return [r for r in self.rules if r.scope == Scope.WHOLE_BODY and r.action == Action.AVOID]

    def sites_missing(self) -> list[HealthFlag]:
        """Flags with site rules whose site is not recorded: nothing marks the points near it."""
        flags = {r.flag for r in self.rules if r.scope == Scope.FLAG_SITE}
        return sorted(
            (f for f in flags if not self.profile.sites.get(f.code)), key=lambda f: f.position
        )

    def suggested_max_seconds(self) -> int | None:
        limits = [
            flag.suggested_max_seconds
            for flag in {r.flag for r in self.rules}
            if flag.suggested_max_seconds
        ]
        return min(limits) if limits else None

    def flags(self) -> list[HealthFlag]:
        return sorted({r.flag for r in self.rules}, key=lambda f: (f.position, f.code))

    def by_flag(self) -> list[tuple[HealthFlag, list[CautionRule]]]:
        """Every rule for the client, grouped by flag (the client page's list)."""
        return [
            (flag, sorted((r for r in self.rules if r.flag == flag), key=rule_order))
            for flag in self.flags()
        ]


def rule_order(rule: CautionRule):
    scopes = list(Scope.values)
    return (scopes.index(rule.scope), ACTION_ORDER.index(rule.action), rule.key)


def limb_of(region: str) -> int | None:
    return next((i for i, limb in enumerate(LIMBS) if region in limb), None)


# A device in the chest has its leads running to the shoulder (the facts' pacemaker rows).
NEIGHBOURS = {"chest": {"shoulder"}, "shoulder": {"chest"}}


def near(site_region: str, region: str) -> bool:
    """The region is the site's, on its limb, or next to it."""
    limb = limb_of(site_region)
    return (
        region == site_region
        or (limb is not None and limb == limb_of(region))
        or region in NEIGHBOURS.get(site_region, ())
    )
