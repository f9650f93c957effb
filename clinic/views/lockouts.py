"""Locked-out logins, listed and cleared: a clinic manager sees and clears the lockouts of
their own clinic's accounts; the superuser those of every account, and of usernames that
belong to nobody. Each clearing is written to the access log."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import redirect
from django.views import View
from django.views.generic import TemplateView

from .. import throttle
from ..access import ManagerRequiredMixin
from ..access_log import AccessEvent, record


class LockoutsMixin(ManagerRequiredMixin):
    """A clinic manager, or the superuser (self.practitioner is then None: every account)."""

    def require(self, request):
        if request.user.is_superuser:
            return None
        return super().require(request)

    def accounts(self):
        """The accounts whose lockouts this user sees, by lockout key: each key's user."""
        users = get_user_model().objects.select_related("practitioner")
        if self.practitioner is not None:
            users = users.filter(practitioner__clinic_id=self.practitioner.clinic_id)
        return {throttle.lockout_key(None, {"username": user.username}): user for user in users}


class LockoutListView(LockoutsMixin, TemplateView):
    template_name = "clinic/lockout_list.html"

    def get_context_data(self, **kwargs):
        accounts = self.accounts()
        lockouts = throttle.current_lockouts(None if self.practitioner is None else accounts)
        rows = [(lockout, accounts.get(lockout.username)) for lockout in lockouts]
        return super().get_context_data(
            rows=rows,
            every_account=self.practitioner is None,
            failure_limit=settings.AXES_FAILURE_LIMIT,
            cool_off_minutes=round(settings.AXES_COOLOFF_TIME.total_seconds() / 60),
            **kwargs,
        )


class LockoutClearView(LockoutsMixin, View):
    def post(self, request):
        typed = request.POST.get("username", "")
        key = throttle.lockout_key(None, {"username": typed})
        user = self.accounts().get(key)
        # The key drops a NUL; a username sent with one names no account.
        if key is None or "\x00" in typed or (user is None and self.practitioner is not None):
            raise Http404("No account of your clinic has that username.")
        name = _name(user) if user is not None else key
        if throttle.clear_lockout(key):
            record(
                action=AccessEvent.Action.LOCKOUT_CLEARED,
                request=request,
                clinic=_clinic_id(user),
                detail=f"for {key}",
            )
            messages.success(request, f"Cleared the lockout of {name}: they can log in again.")
        else:
            messages.info(request, f"{name} has no failed logins to clear.")
        return redirect("clinic:lockout-list")


def _name(user):
    practitioner = getattr(user, "practitioner", None)
    return f"{practitioner.display_name} ({user.username})" if practitioner else user.username


def _clinic_id(user):
    practitioner = getattr(user, "practitioner", None) if user is not None else None
    return practitioner.clinic_id if practitioner is not None else None
