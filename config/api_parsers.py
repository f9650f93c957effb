"""JSON bodies of a sane shape: nesting deeper than any of our records is refused with a 400
before anything walks it (a deep enough body would otherwise end in a RecursionError), and
so is a NUL in any string of a JSON, form or multipart body (config/nul_bytes.py), as field
errors where it was found."""

from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

from .nul_bytes import NUL_MESSAGE, nul_errors, nul_fields

MAX_DEPTH = 20  # a session with its points is 3 deep


def depth(value) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest


def refuse_nul(data):
    errors = nul_errors(data)
    if errors:
        raise ValidationError(errors if isinstance(errors, dict) else {"non_field_errors": errors})
    return data


def refuse_nul_in_form(query_dict):
    fields = nul_fields(query_dict)
    if fields:
        raise ValidationError({name: [NUL_MESSAGE] for name in fields})


class DepthLimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(f"JSON nested more than {MAX_DEPTH} levels deep.") from None
        if depth(data) > MAX_DEPTH:
            raise ParseError(f"JSON nested more than {MAX_DEPTH} levels deep.")
        return refuse_nul(data)


class NulRefusingFormParser(FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        refuse_nul_in_form(data)
        return data


class NulRefusingMultiPartParser(MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        refuse_nul_in_form(parsed.data)
        return parsed
