"""Points to and from CSV, for bulk edits in a spreadsheet.

An import only updates points that already exist, matched by code. Every row is
validated first; if any row is bad nothing is saved and every problem is reported.
"""

import csv
import io
from dataclasses import dataclass, field

from django import forms
from django.db import transaction

from .models import Point, PressureTool, search_key

COLUMNS = [
    "code",
    "english_name",
    "region",
    "location",
    "self_care_instructions",
    "default_tool",
    "default_duration_seconds",
    "duration_note",
    "self_care",
    "self_care_with",
    "not_self_care_reason",
    "cautions",
    "figure",
    "figure_x",
    "figure_y",
    "is_active",
]
EDITED_FIELDS = COLUMNS[1:]
YES_NO_FIELDS = ["self_care", "is_active"]
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def write_points_csv(points, stream):
    writer = csv.writer(stream)
    writer.writerow(COLUMNS)
    for point in points:
        writer.writerow(
            [
                point.code,
                point.english_name,
                point.region,
                point.location,
                point.self_care_instructions,
                point.default_tool.slug if point.default_tool else "",
                point.default_duration_seconds,
                point.duration_note,
                "yes" if point.self_care else "no",
                point.self_care_with,
                point.not_self_care_reason,
                point.cautions,
                point.figure,
                "" if point.figure_x is None else point.figure_x,
                "" if point.figure_y is None else point.figure_y,
                "yes" if point.is_active else "no",
            ]
        )


class PictureFieldsMixin:
    """A figure and both coordinates go together: all three, or none."""

    def clean(self):
        cleaned = super().clean()
        parts = [cleaned.get("figure"), cleaned.get("figure_x"), cleaned.get("figure_y")]
        given = [part not in (None, "") for part in parts]
        picture_fields_valid = not {"figure", "figure_x", "figure_y"} & set(self.errors)
        if picture_fields_valid and any(given) and not all(given):
            self.add_error(
                "figure",
                "Give a figure with both coordinates (x and y), or leave all three empty.",
            )
        return cleaned


def yes_no_field():
    return forms.TypedChoiceField(
        choices=[("yes", "yes"), ("no", "no")],
        coerce=lambda value: value == "yes",
        error_messages={"invalid_choice": "Write yes or no, not “%(value)s”."},
    )


class PointRowForm(PictureFieldsMixin, forms.ModelForm):
    """One CSV row, checked with the model's own choices and validators."""

    default_tool = forms.ChoiceField(
        required=False,
        error_messages={"invalid_choice": "No pressure tool has the slug “%(value)s”."},
    )
    self_care = yes_no_field()
    is_active = yes_no_field()

    class Meta:
        model = Point
        fields = EDITED_FIELDS

    def __init__(self, *args, tools, **kwargs):
        super().__init__(*args, **kwargs)
        self.tools = tools
        self.fields["default_tool"].choices = [("", "")] + [(slug, slug) for slug in tools]

    def clean_default_tool(self):
        slug = self.cleaned_data["default_tool"]
        return self.tools[slug] if slug else None


@dataclass
class ImportResult:
    errors: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: int = 0


def import_points_csv(upload):
    """Validate every row of an uploaded file, then save them all or nothing."""
    result = ImportResult()
    try:
        header, rows = read_upload(upload)
    except ValueError as problem:
        result.errors.append(str(problem))
        return result
    codes = {search_key(cells[header.index("code")]) for _, cells in rows}
    points = {p.code_key: p for p in Point.objects.filter(code_key__in=codes)}
    tools = {tool.slug: tool for tool in PressureTool.objects.all()}
    changed = []
    seen = {}
    for line, cells in rows:
        if len(cells) > len(header):
            result.errors.append(f"Line {line}: more cells than the header has columns.")
            continue
        values = dict(zip(header, cells, strict=True))
        code = values["code"]
        point = points.get(search_key(code))
        if not code:
            result.errors.append(f"Line {line}, field code: a code is required.")
        elif point is None:
            result.errors.append(f"Line {line}, field code: no point has the code “{code}”.")
        elif point.pk in seen:
            result.errors.append(
                f"Line {line}, field code: {point.code} is already on line {seen[point.pk]}."
            )
        else:
            seen[point.pk] = line
            before = snapshot(point)
            form = PointRowForm(data=form_data(values), instance=point, tools=tools)
            if not form.is_valid():
                result.errors.extend(row_errors(line, form))
            elif snapshot(form.instance) != before:
                changed.append(form.instance)
            else:
                result.unchanged += 1
    if result.errors:
        return result
    with transaction.atomic():
        for point in changed:
            point._change_reason = "Imported from CSV"
            point.save()
    result.updated = [point.code for point in changed]
    return result


def read_upload(upload):
    """The header and the numbered non-empty rows; raise ValueError if unreadable."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValueError("The file is larger than 5 MB: split it into smaller files.")
    raw = upload.read()
    if not raw.strip():
        raise ValueError("The file is empty.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(
            "The file is not UTF-8 text. Save it from your spreadsheet as “CSV UTF-8”."
        ) from None
    if "\x00" in text:
        raise ValueError("The file is not CSV text. Save it from your spreadsheet as CSV.")
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as problem:
        raise ValueError(f"The file is not readable as CSV: {problem}.") from None
    header = [name.strip().lower() for name in records[0]]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise ValueError(f"The header (line 1) lacks the columns: {', '.join(missing)}.")
    if len(set(header)) != len(header):
        raise ValueError("The header (line 1) names a column twice.")
    padding = [""] * len(header)
    rows = [
        (line, [cell.strip() for cell in cells] + padding[len(cells) :])
        for line, cells in enumerate(records[1:], start=2)
        if any(cell.strip() for cell in cells)
    ]
    if not rows:
        raise ValueError("The file has a header but no points.")
    return header, rows


def form_data(values):
    data = {name: values[name] for name in EDITED_FIELDS}
    for name in YES_NO_FIELDS:
        data[name] = data[name].lower()
    return data


def snapshot(point):
    return {f.attname: getattr(point, f.attname) for f in Point._meta.concrete_fields}


def row_errors(line, form):
    for name, messages in form.errors.items():
        where = f"Line {line}" if name == "__all__" else f"Line {line}, field {name}"
        for message in messages:
            yield f"{where}: {message}"
