"""The one way into a clinic's data, from a request.

A request's practitioner comes from `require_practitioner` (or the mixin and the API
permission below); records are then reached through their own queryset's
`for_clinic(clinic)`, next to the records it scopes (`clients_for` here,
`TreatmentSession.objects.for_clinic`, `HomeCareSheet.objects.for_clinic`). Another
clinic's record is a 404.
"""

from copy import copy
from functools import wraps

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import URLResolver
from rest_framework.permissions import BasePermission

from .models import Client, Practitioner

NOT_A_PRACTITIONER = (
    "Your account is not linked to an active practitioner, so clinical records are not "
    "available to it. Ask your clinic's administrator to set up your practitioner profile."
)


def practitioner_for(user):
    """The user's active practitioner profile, or None."""
    if not user.is_authenticated:
        return None
    try:
        practitioner = user.practitioner
    except Practitioner.DoesNotExist:
        return None
    return practitioner if practitioner.is_active else None


NOT_A_MANAGER = (
    "Only a clinic manager can open this page. Ask your clinic's manager if you need it."
)


def require_practitioner(request):
    practitioner = practitioner_for(request.user)
    if practitioner is None:
        raise PermissionDenied(NOT_A_PRACTITIONER)
    return practitioner


def require_manager(request):
    """The request's practitioner if they manage their clinic (`is_manager`); 403 for any
    other practitioner, and for a user without a profile (NOT_A_PRACTITIONER)."""
    practitioner = require_practitioner(request)
    if not practitioner.is_manager:
        raise PermissionDenied(NOT_A_MANAGER)
    return practitioner


def clients_for(practitioner):
    return Client.objects.for_clinic(practitioner.clinic_id)


def clients_for_request(request):
    """For filter choices: the requesting practitioner's clients, or none."""
    practitioner = practitioner_for(request.user) if request is not None else None
    return clients_for(practitioner) if practitioner else Client.objects.none()


def practitioners_of(clinic_id):
    """The clinic's practitioners, active or not (a team list, the access log's filter)."""
    return Practitioner.objects.filter(clinic_id=clinic_id)


def colleagues_for(practitioner):
    return practitioners_of(practitioner.clinic_id).filter(is_active=True)


def get_client_or_404(practitioner, pk):
    return get_object_or_404(clients_for(practitioner), pk=pk)


def practitioner_required(view):
    """For views of lower layers (the catalogue's pages), applied where they are included:
    anonymous visitors go to the login page, users without a practitioner profile get 403."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        require_practitioner(request)
        return view(request, *args, **kwargs)

    return guarded


def guard_patterns(guard, patterns):
    """`patterns` (a URLconf's list) with every view wrapped in `guard`."""
    guarded = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            pattern = copy(pattern)
            pattern.url_patterns = guard_patterns(guard, pattern.url_patterns)
        else:
            pattern = copy(pattern)
            pattern.callback = guard(pattern.callback)
        guarded.append(pattern)
    return guarded


class PractitionerRequiredMixin(LoginRequiredMixin):
    """Logged in and an active practitioner; sets self.practitioner, then calls
    load_objects(**kwargs), where a view fetches its scoped objects (and may answer
    early by returning a response)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.practitioner = self.require(request)
        early_response = self.load_objects(**kwargs)
        if early_response is not None:
            return early_response
        return super().dispatch(request, *args, **kwargs)

    def load_objects(self, **kwargs):
        return None

    def require(self, request):
        return require_practitioner(request)


class ManagerRequiredMixin(PractitionerRequiredMixin):
    """A page for the clinic's managers only (`require_manager`): other practitioners get
    403 with NOT_A_MANAGER."""

    def require(self, request):
        return require_manager(request)


class IsActivePractitioner(BasePermission):
    message = NOT_A_PRACTITIONER

    def has_permission(self, request, view):
        return practitioner_for(request.user) is not None


class IsClinicManager(BasePermission):
    """For API views of managers only; a user without a profile gets NOT_A_PRACTITIONER."""

    def has_permission(self, request, view):
        practitioner = practitioner_for(request.user)
        if practitioner is None:
            self.message = NOT_A_PRACTITIONER
            return False
        self.message = NOT_A_MANAGER
        return practitioner.is_manager
