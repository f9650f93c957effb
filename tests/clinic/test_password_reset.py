"""Password-reset mails are limited per account and per address; past a limit the page
says what it always says and no mail is sent; every request is in the access log."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from clinic.access_log import AccessEvent
from clinic.password_reset import MAIL_SENT, NO_ACCOUNT, OVER_THE_LIMIT

from ..factories import PractitionerFactory

RESET = reverse("password_reset")
DONE_TEXT = "If an account uses that address, we have sent a link to reset the password."


def ask(client, email, address="192.0.2.1"):
    response = client.post(RESET, {"email": email}, REMOTE_ADDR=address, follow=True)
    assert response.redirect_chain == [(reverse("password_reset_done"), 302)]
    assert DONE_TEXT in response.content.decode()
    return response


def requests_logged():
    return list(
        AccessEvent.objects.filter(action=AccessEvent.Action.PASSWORD_RESET_REQUESTED)
        .order_by("pk")
        .values_list("username", "detail", "ip_address")
    )


@pytest.fixture
def ana(practitioner):
    practitioner.user.email = "ana@example.com"
    practitioner.user.save()
    return practitioner.user


def test_three_mails_an_hour_per_account_then_the_same_page_and_no_mail(client, ana):
    for n in range(4):
        ask(client, "ana@example.com", address=f"192.0.2.{n}")
    assert len(mail.outbox) == 3
    assert all("/accounts/reset/" in message.body for message in mail.outbox)
    assert [detail for _, detail, _ in requests_logged()] == [MAIL_SENT] * 3 + [OVER_THE_LIMIT]
    entry = AccessEvent.objects.last()
    assert (entry.user, entry.clinic_id) == (ana, ana.practitioner.clinic_id)


def test_mails_older_than_the_window_do_not_count(client, ana):
    for _ in range(3):
        AccessEvent.objects.create(
            action=AccessEvent.Action.PASSWORD_RESET_REQUESTED,
            user=ana,
            detail=MAIL_SENT,
            at=timezone.now() - timedelta(hours=1, minutes=1),
        )
    ask(client, "ana@example.com")
    assert len(mail.outbox) == 1


def test_ten_mails_an_hour_per_address(client, practitioner):
    for n in range(11):
        PractitionerFactory(user__username=f"p{n}", user__email=f"p{n}@example.com")
        ask(client, f"p{n}@example.com")
    assert len(mail.outbox) == 10
    assert requests_logged()[-1] == ("p10", OVER_THE_LIMIT, "192.0.2.1")
    ask(client, "p10@example.com", address="192.0.2.99")  # another address still may
    assert len(mail.outbox) == 11 and mail.outbox[-1].to == ["p10@example.com"]


def test_an_unknown_address_is_answered_the_same_and_logged(client, db):
    ask(client, "nobody@example.com")
    assert mail.outbox == []
    assert requests_logged() == [("", NO_ACCOUNT, "192.0.2.1")]


def test_the_limit_page_is_the_same_page(client, ana):
    """Nothing in the answer tells an address over the limit from one under it."""
    below = ask(client, "ana@example.com")
    for _ in range(3):
        over = ask(client, "ana@example.com")
    assert len(mail.outbox) == 3
    assert over.status_code == below.status_code == 200
    assert over.content == below.content
