"""Password-reset mails, limited per account and per address.

Every request is written to the access log (PASSWORD_RESET_REQUESTED: the account, or none
for an address that matches no account; `detail` says whether a mail went). An account gets
at most PASSWORD_RESET_MAILS_PER_ACCOUNT mails and an address sends at most
PASSWORD_RESET_MAILS_PER_ADDRESS within PASSWORD_RESET_MAIL_WINDOW, counted from the log.
Past a limit the page answers as always ("if an account uses that address, we have sent a
link"), so it tells nobody which addresses have accounts; only no mail is sent.
"""

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.views import PasswordResetView
from django.utils import timezone

from .access_log import AccessEvent, client_ip, record

MAIL_SENT = "mail sent"
OVER_THE_LIMIT = "no mail: over the limit"
NO_ACCOUNT = "no mail: no account"


def _mails_sent_since(since, **whose):
    return AccessEvent.objects.filter(
        action=AccessEvent.Action.PASSWORD_RESET_REQUESTED, detail=MAIL_SENT, at__gte=since, **whose
    ).count()


def _may_mail(user, address):
    since = timezone.now() - settings.PASSWORD_RESET_MAIL_WINDOW
    if _mails_sent_since(since, user=user) >= settings.PASSWORD_RESET_MAILS_PER_ACCOUNT:
        return False
    return (
        address is None
        or _mails_sent_since(since, ip_address=address) < settings.PASSWORD_RESET_MAILS_PER_ADDRESS
    )


class LimitedPasswordResetForm(PasswordResetForm):
    def save(self, *, request=None, **kwargs):
        self.request = request
        return super().save(request=request, **kwargs)

    def get_users(self, email):
        """The accounts Django would mail, less those over a limit; each request logged."""
        users = list(super().get_users(email))
        if not users:
            self._log(detail=NO_ACCOUNT)
        for user in users:
            allowed = _may_mail(user, client_ip(self.request))
            self._log(user=user, detail=MAIL_SENT if allowed else OVER_THE_LIMIT)
            if allowed:
                yield user

    def _log(self, **entry):
        record(action=AccessEvent.Action.PASSWORD_RESET_REQUESTED, request=self.request, **entry)


class LimitedPasswordResetView(PasswordResetView):
    form_class = LimitedPasswordResetForm
