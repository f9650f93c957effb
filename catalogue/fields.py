"""Points and tools named in input, looked up one way for the forms and the API: a point by
its code in any case (`li4` finds LI4), a tool by its slug (`Thumb` finds thumb)."""

from django import forms
from rest_framework import serializers

from .models import Point, PressureTool

UNKNOWN_POINT = "Unknown or retired point: {code}. Type a code such as LI4, or pick from the list."
UNKNOWN_TOOL = "Unknown pressure tool: {slug}."
NOT_A_CODE = "Give the point as a code such as LI4."
NOT_A_SLUG = "Give the tool as a slug such as thumb."


def find_active_point(code: str) -> Point | None:
    code = code.strip().upper()
    points = Point.objects.active().select_related("default_tool")
    return points.prefetch_related("point_cautions").filter(code=code).first() if code else None


def find_tool(slug: str) -> PressureTool | None:
    slug = slug.strip().lower()
    return PressureTool.objects.filter(slug=slug).first() if slug else None


class PointCodeFormField(forms.CharField):
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
        return tool

    def to_representation(self, tool):
        return tool.slug
