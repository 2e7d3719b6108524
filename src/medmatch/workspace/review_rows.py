"""The inbox's table rows and filter controls as HTML, written in Python.

Why not in the template: the inbox must answer within 5x a trivial view of the same server
(issue 15, ``benchmarks/workspace_inbox.py``). Fifty rows of a dozen cells are some 1,800 template
nodes — most of the page's time, more than its queries — and a form's widget templates cost as
much again; f-strings over escaped values write the same markup in a fraction of it (and
``html.escape`` itself, without ``format_html``'s lazy-string wrappers). The page around them
stays in templates/workspace/review/inbox.html.
"""

from html import escape as _html_escape

from django.utils.safestring import SafeString, mark_safe

UNKNOWN = '<span class="unknown">unknown</span>'


def _text(value) -> str:
    """``value`` as HTML text: what ``django.utils.html.escape`` gives (it calls this same
    function), without its lazy-string wrapper — some 500 calls a page, none of them lazy."""
    return _html_escape(str(value))


def _known(value) -> str:
    return UNKNOWN if value is None else _text(value)


def row_html(row: dict, *, uses_signals: bool) -> str:
    """One row of ``review_selectors.inbox_page`` as a ``<tr>``: a tick box (none once
    withdrawn), the applicant (linked to their review), graduation year, visa, signal (when the
    program takes signals), submitted date, reviews, mean score and decision. Every value from a
    row is escaped."""
    pk, name = _text(row["pk"]), _text(row["name"])
    pick = (
        ""
        if row["withdrawn"]
        else f'<input type="checkbox" name="submissions" value="{pk}" id="pick-{pk}">'
        f'<label for="pick-{pk}" class="visually-hidden">Select {name}</label>'
    )
    badges = ""
    if row["version"] and row["version"] > 1:
        badges += f' <span class="badge">version {_text(row["version"])}</span>'
    if row["withdrawn"]:
        badges += ' <span class="badge withdrawn-badge">withdrawn</span>'
    mine = ' <span class="badge">yours</span>' if row["mine"] else ""
    score = (
        '<span class="unknown">not scored</span>' if row["score"] is None else _text(row["score"])
    )
    decision = (
        f'<span class="decision decision-{_text(row["decision"])}">'
        f"{_text(row['decision_label'])}</span>"
        if row["decision"]
        else "—"
    )
    signal = f"<td>{_text(row['signal'])}</td>" if uses_signals else ""
    withdrawn = ' class="withdrawn"' if row["withdrawn"] else ""
    return (
        f'<tr{withdrawn}><td>{pick}</td><th scope="row"><a href="{_text(row["url"])}">{name}</a>'
        f"{badges}</th><td>{_known(row['year'])}</td><td>{_known(row['visa'])}</td>{signal}"
        f'<td><time datetime="{_text(row["submitted_iso"])}">{_text(row["submitted"])}</time>'
        f"</td><td>{_text(row['reviews'])}{mine}</td><td>{score}</td><td>{decision}</td></tr>"
    )


def rows_html(rows: list[dict], *, uses_signals: bool) -> SafeString:
    """The table body's rows, one piece of markup (every value in it escaped by ``row_html``)."""
    return mark_safe("".join(row_html(row, uses_signals=uses_signals) for row in rows))


def _control(field) -> str:
    """A select with its options, a number box with its bounds, or a tick box, keeping what the
    person chose."""
    name, control_id = _text(field.html_name), _text(field.id_for_label)
    current = field.value()
    if field.name == "withdrawn":
        checked = " checked" if current else ""
        return f'<input type="checkbox" name="{name}" id="{control_id}"{checked}>'
    current = "" if current is None else str(current)
    if hasattr(field.field, "choices"):
        options = "".join(
            f'<option value="{_text(value)}"{" selected" if str(value) == current else ""}>'
            f"{_text(label)}</option>"
            for value, label in field.field.choices
        )
        return f'<select name="{name}" id="{control_id}">{options}</select>'
    return (
        f'<input type="number" inputmode="numeric" name="{name}" id="{control_id}" '
        f'min="{_text(field.field.min_value)}" max="{_text(field.field.max_value)}" '
        f'value="{_text(current)}">'
    )


def filter_grid_html(form) -> SafeString:
    """The inbox form's visible fields, each with its label, its control and its errors."""
    parts = []
    for field in form.visible_fields():
        errors = field.errors
        label = _text(field.label)
        if field.name == "withdrawn":
            labelled = f"<label>{_control(field)} {label}</label>"
        else:
            labelled = f'<label for="{_text(field.id_for_label)}">{label}</label> {_control(field)}'
        parts.append(
            f'<div class="field field-{_text(field.name)}{" has-error" if errors else ""}">'
            f"{labelled}"
            + "".join(f'<p class="field-errors">{_text(error)}</p>' for error in errors)
            + "</div>"
        )
    # Every label, value and message went through _text() above.
    return mark_safe("".join(parts))
