"""Optimistic concurrency: every saved change raises a record's revision, and an edit made
over a revision older than the one saved now is refused, never written over it.

(A revision is not a home-care sheet's `version`, the printed v1, v2 of a sheet.) Pages carry
the revision the form was loaded at (`RevisionField`); the API sends it as the `ETag` of a
detail response and takes it back as `If-Match`. Services read the record after taking its
lock (`locked_current`) and refuse a stale edit with `StaleEdit`, which says who changed the
record and when, so the practitioner can merge.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.html import escape

STALE = (
    "{who} changed this {noun} at {when}, after you opened it. Nothing was saved. What is "
    "saved now is shown beside each field you changed; merge, then save again."
)


class RevisedModel(models.Model):
    revision = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Raised by every change: an edit made over an older revision is refused.",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.revision += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "revision"}
        super().save(*args, **kwargs)


def last_change(record) -> tuple[str, str]:
    """Who made the record's latest change, and when (in the clinic's zone)."""
    latest = record.history.select_related("history_user__practitioner").first()
    user = latest.history_user if latest else None
    if user is None:
        who = "Someone"
    else:
        practitioner = getattr(user, "practitioner", None)
        who = practitioner.display_name if practitioner else user.get_username()
    when = latest.history_date if latest else getattr(record, "updated_at", None)
    return who, f"{timezone.localtime(when):%H:%M on %d %b %Y}" if when else "a moment ago"


class Keep:
    """For an edit service's arguments: leave this value as it is saved, read under the
    lock (so a change someone made meanwhile to another field is kept)."""

    def __repr__(self):
        return "KEEP"


KEEP = Keep()


class StaleEdit(ValidationError):
    """An edit of `current` made over an older revision. Carries the record as saved now."""

    def __init__(self, current, noun: str):
        self.current = current
        self.who, self.when = last_change(current)
        self.noun = noun
        super().__init__(STALE.format(who=self.who, noun=noun, when=self.when), code="stale")

    def action_message(self, done: str) -> str:
        """For a button (sign, issue) pressed on a page shown before the change."""
        return (
            f"{self.who} changed this {self.noun} at {self.when}, after you opened it. "
            f"Nothing was {done}: look at it again, then try once more."
        )

    @property
    def api_message(self) -> str:
        return (
            f"{self.who} changed this {self.noun} at {self.when}: it is at revision "
            f"{self.current.revision} now. Nothing was saved. Fetch it again, make your change "
            "to what is there, and send its new ETag in If-Match."
        )


def locked_current(model, pk, *, expected_revision: int | None, noun: str):
    """The record as saved now, locked until the transaction ends; refused with StaleEdit
    when `expected_revision` is given and is not the current one."""
    current = model.objects.select_for_update(of=("self",)).get(pk=pk)
    if expected_revision is not None and current.revision != expected_revision:
        raise StaleEdit(current, noun)
    return current


BAD_REVISION = "The page sent a revision that is not one: reload it and try again."


def posted_revision(request) -> int | None:
    """The revision a page's action button was shown at (sign, issue): what was reviewed.
    None when the page sent none; one that is not a number (a NUL in it) is refused, never
    taken as "whatever is saved now"."""
    value = request.POST.get("revision")
    if value is None:
        return None
    if not re.fullmatch(r"[0-9]{1,10}", value):
        raise ValidationError(BAD_REVISION)
    return int(value)


class RevisionField(forms.IntegerField):
    """The revision a form was loaded at, sent back with it."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(min_value=1, required=True, **kwargs)


def show_conflicts(form, current, fields) -> None:
    """After a StaleEdit: beside each field whose saved value differs from what was typed,
    what is saved now; and the form now carries the current revision, so saving again
    (after merging) goes through."""
    for name in fields:
        if name not in form.fields or name not in form.cleaned_data or not hasattr(current, name):
            continue
        saved = getattr(current, name)
        if _comparable(saved) != _comparable(form.cleaned_data[name]):
            field = form.fields[name]
            # Escaped here: form templates print help text as HTML.
            note = escape(f"Saved now by the other change: {_shown(field, saved)}")
            field.help_text = form[name].help_text = note  # the bound field keeps its own
    form.data = form.data.copy()
    form.data[form.add_prefix("revision")] = current.revision


def _comparable(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return sorted(_comparable(v) for v in value)
    if hasattr(value, "all"):  # a related manager or queryset
        return sorted(obj.pk for obj in value.all())
    return value


def _shown(field, value) -> str:
    if hasattr(value, "all"):  # a related manager or queryset
        value = [str(obj) for obj in value.all()]
    if value in (None, "", [], ()):
        return "(empty)"
    choices = dict(getattr(field, "choices", []) or [])
    if isinstance(value, list):
        return ", ".join(str(choices.get(v, v)) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(choices.get(value, value))


class RevisionCheckedForm(forms.ModelForm):
    """For admin forms (a clinic, a practitioner profile): saved only over the revision the
    page was opened at. The admin saves inside a transaction, so the lock taken in clean()
    holds until the save."""

    revision_seen = forms.IntegerField(required=False, widget=forms.HiddenInput)
    revision_noun = "record"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["revision_seen"].initial = self.instance.revision

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get("revision_seen")
        if self.instance.pk and seen is not None:
            try:
                locked_current(
                    type(self.instance),
                    self.instance.pk,
                    expected_revision=seen,
                    noun=self.revision_noun,
                )
            except StaleEdit as stale:
                raise forms.ValidationError(
                    f"{stale.who} changed this {stale.noun} at {stale.when}, after you opened "
                    "it. Nothing was saved: open it again to see their change, then make yours."
                ) from stale
        return cleaned
