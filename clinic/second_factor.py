"""The second factor (TOTP with recovery codes, django-otp).

`refuse_token_login` is what the API token endpoint calls after the password has been
checked. Until the second factor is built it lets every login through.
"""


def refuse_token_login(*, request, user, code: str | None) -> None:
    """Raise rest_framework.exceptions.ValidationError({"otp": [...]}) when `user` has a
    confirmed device and `code` is missing or wrong; record the attempt in the access log."""
    return None
