"""A NUL character is never valid input, and PostgreSQL refuses any string that holds one
(a DataError: a 500). It is refused at the edges, with Django's own message: in an address
(the path or the query) here, before any view; in an API body by the parsers
(config/api_parsers.py); in a page's form by its fields (Django's text fields refuse it
already; catalogue/fields.py's RefusesNul the fields that look a value up). A NUL cannot be
typed into a search box, so an address holding one is a 400, not a field error. A cookie
holding one is dropped, as an unknown session key would be.
"""

from django.http import HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string

NUL = "\x00"
NUL_MESSAGE = "Null characters are not allowed."  # Django's ProhibitNullCharactersValidator's


def nul_errors(value):
    """Field errors in DRF's nested shape for every string in parsed data holding a NUL,
    or None when there is none."""
    if isinstance(value, str):
        return [NUL_MESSAGE] if NUL in value else None
    if isinstance(value, dict):
        errors = {}
        for key, item in value.items():
            found = [NUL_MESSAGE] if NUL in str(key) else nul_errors(item)
            if found:
                errors[key] = found
        return errors or None
    if isinstance(value, list | tuple):
        found = [nul_errors(item) for item in value]
        return [error or {} for error in found] if any(found) else None
    return None


def nul_fields(query_dict) -> list[str]:
    """The fields of a query or a form holding a NUL, in the name or a value."""
    return [
        key
        for key in query_dict
        if NUL in key or any(NUL in value for value in query_dict.getlist(key))
    ]


class RefuseNulInAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path:
            return refused(request, {"detail": f"The address holds a NUL. {NUL_MESSAGE}"})
        fields = nul_fields(request.GET)
        if fields:
            return refused(request, {name: [NUL_MESSAGE] for name in fields})
        # No browser sends a cookie holding one, and no session key has one: not sent.
        for name, value in list(request.COOKIES.items()):
            if NUL in name or NUL in value:
                del request.COOKIES[name]
        return self.get_response(request)


def refused(request, errors):
    if request.path.startswith("/api/"):
        return JsonResponse(errors, status=400)
    names = [name.replace(NUL, "") for name in errors if name != "detail"]
    message = f"The address holds a NUL{' in ' + ', '.join(names) if names else ''}."
    page = render_to_string("400.html", {"message": f"{message} {NUL_MESSAGE}"})
    return HttpResponseBadRequest(page)
