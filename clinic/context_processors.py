from .access import practitioner_for


def practitioner(request):
    user = getattr(request, "user", None)
    return {"practitioner": practitioner_for(user) if user is not None else None}
