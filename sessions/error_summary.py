"""The error summary at the top of a form with rows (the session's points, the sheet's
items): every error of a refused save, in the page's order, each a link to its field."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ErrorLink:
    text: str
    href: str = ""  # empty for an error about the whole form


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def field_links(form, names, anchors) -> list[ErrorLink]:
    links = []
    for name in names:
        field = form[name]
        href = f"#{anchors[name]}" if name in anchors else f"#{field.id_for_label}"
        for message in form.errors.get(name, []):
            links.append(ErrorLink(f"{field.label}: {message}", "" if field.is_hidden else href))
    return links


def row_links(formset, row_label: str) -> list[ErrorLink]:
    links = [ErrorLink(message) for message in formset.non_form_errors()]
    for number, row in enumerate(formset.live_forms(), start=1):
        for message in row.non_field_errors():
            links.append(
                ErrorLink(f"{row_label} {number}: {message}", f"#{row['point'].id_for_label}")
            )
        for name in row.fields:
            for message in row.errors.get(name, []):
                label = lower_first(str(row[name].label))
                href = f"#{row[name].id_for_label}"
                links.append(ErrorLink(f"{row_label} {number}, {label}: {message}", href))
    return links


def error_links(
    form, formset, *, fields_before_rows=(), anchors=None, row_label="Point"
) -> list[ErrorLink]:
    """The form's errors before the rows (`fields_before_rows`, as the page lays them out),
    the rows' errors, then the form's other errors. `anchors` names the element to link to
    for a field the page draws itself (a group of boxes with their own ids)."""
    anchors = anchors or {}
    before = [name for name in form.fields if name in fields_before_rows]
    after = [name for name in form.fields if name not in fields_before_rows]
    return [
        *(ErrorLink(message) for message in form.non_field_errors()),
        *field_links(form, before, anchors),
        *row_links(formset, row_label),
        *field_links(form, after, anchors),
    ]
