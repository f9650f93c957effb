"""The schema marks as nullable every field the API can answer null: each readable field of
each API serializer (nested ones too) whose model column allows NULL."""

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers

from config.urls import router


def serializers_of_the_api():
    found = {}

    def walk(serializer):
        serializer = getattr(serializer, "child", serializer)
        if isinstance(serializer, serializers.ModelSerializer):
            found.setdefault(type(serializer).__name__, serializer)
            for field in serializer.fields.values():
                walk(field)

    for _, viewset, _ in router.registry:
        walk(viewset(action="retrieve").get_serializer_class()(context={"request": None}))
    return found


def nullable_columns(serializer):
    model = serializer.Meta.model
    for name, field in serializer.fields.items():
        if field.write_only or "." in field.source or field.source == "*":
            continue
        try:
            column = model._meta.get_field(field.source)
        except FieldDoesNotExist:
            continue
        if column.concrete and column.null:
            yield name


def test_every_nullable_column_is_nullable_in_the_schema():
    components = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    checked, missing = [], []
    for name, serializer in serializers_of_the_api().items():
        component = components[name.removesuffix("Serializer")]
        for field in nullable_columns(serializer):
            checked.append(f"{name}.{field}")
            if not component["properties"][field].get("nullable"):
                missing.append(f"{name}.{field}")
    assert missing == []
    assert {"ClientSerializer.consent_given_at", "PointSerializer.default_tool"} <= set(checked)
