"""What the session app tells higher layers, which it must not import: a higher app
connects a receiver in its AppConfig.ready() (the diary completes the session's
appointment)."""

from django.dispatch import Signal

# Sent by services.sign_session inside its transaction, with `session` (as signed) and
# `practitioner` (who signed): a receiver's write commits or rolls back with the signing.
session_signed = Signal()
