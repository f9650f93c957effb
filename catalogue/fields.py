"""Points and tools named in input, looked up one way for the forms and the API: a point by
its code in any case (`li4` finds LI4), a tool by its slug (`Thumb` finds thumb).

A retired tool or condition stays on the records that have it (their drafts open and save
unchanged) but is not picked anew: `refuse_retired` says so, for the forms, the serializers
and the services alike. A retired point is simply not found (as before)."""

from collections.abc import Iterable

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from rest_framework import serializers

from .models import Point, PressureTool

UNKNOWN_POINT = "Unknown or retired point: {code}. Type a code such as LI4, or pick from the list."
UNKNOWN_TOOL = "Unknown pressure tool: {slug}."
NOT_A_CODE = "Give the point as a code such as LI4."
NOT_A_SLUG = "Give the tool as a slug such as thumb."
RETIRED = "{name} is retired: pick another."


def refuse_retired(picked: Iterable, field: str | None = None) -> None:
    """Refuse the retired ones among the tools or conditions `picked` anew for a record (the
    caller leaves out those the record already has), keyed by `field` if given."""
    problems = [RETIRED.format(name=obj) for obj in picked if not obj.is_active]
    if problems:
        raise forms.ValidationError({field: problems} if field else problems)


def find_active_point(code: str) -> Point | None:
    code = code.strip().upper()
    points = Point.objects.active().select_related("default_tool")
    return points.filter(code=code).first() if code else None


def find_tool(slug: str) -> PressureTool | None:
    slug = slug.strip().lower()
    return PressureTool.objects.filter(slug=slug).first() if slug else None


def refuse_nul(value):
    for item in value if isinstance(value, list | tuple) else [value]:
        if isinstance(item, str):
            ProhibitNullCharactersValidator()(item)


class RefusesNul:
    """A form field mixin: a NUL in the input is a field error before anything looks the
    value up (PostgreSQL cannot compare a string holding one: a 500). Both ways in: a
    multiple choice's clean() skips to_python(), and a form may call to_python() alone."""

    def clean(self, value):
        refuse_nul(value)
        return super().clean(value)

    def to_python(self, value):
        refuse_nul(value)
        return super().to_python(value)


class SlugChoiceField(RefusesNul, forms.ModelChoiceField):
    pass


class SlugMultipleChoiceField(RefusesNul, forms.ModelMultipleChoiceField):
    pass


class PointCodeFormField(RefusesNul, forms.CharField):
    def prepare_value(self, value):
        return value.code if isinstance(value, Point) else value

    def to_python(self, value):
        code = super().to_python(value)
        if not code:
            return None
        point = find_active_point(code)
        if point is None:
            raise forms.ValidationError(UNKNOWN_POINT.format(code=code.strip()))
        return point


class PointCodeSerializerField(serializers.CharField):
    default_error_messages = {"invalid": NOT_A_CODE}

    def to_internal_value(self, data):
        if not isinstance(data, str) or "\x00" in data:
            self.fail("invalid")
        point = find_active_point(data)
        if point is None:
            raise serializers.ValidationError(UNKNOWN_POINT.format(code=data.strip()))
        return point

    def to_representation(self, point):
        return point.code


class ToolSlugSerializerField(serializers.CharField):
    default_error_messages = {"invalid": NOT_A_SLUG}

    def to_internal_value(self, data):
        if not isinstance(data, str) or "\x00" in data:
            self.fail("invalid")
        tool = find_tool(data)
        if tool is None:
            raise serializers.ValidationError(UNKNOWN_TOOL.format(slug=data.strip()))
        if not tool.is_active and tool.pk not in self.tool_ids_on_record():
            refuse_retired([tool])
        return tool

    def to_representation(self, tool):
        return tool.slug

    def tool_ids_on_record(self) -> set[int]:
        """The tools the record being updated has now. This field is in a row of a list of
        rows (`many=True`) of the root serializer, whose instance is that record."""
        rows = self.parent.parent if self.parent is not None else None
        record = self.root.instance
        if record is None or not isinstance(rows, serializers.ListSerializer):
            return set()
        return {row.tool_id for row in rows.get_attribute(record).all()}
