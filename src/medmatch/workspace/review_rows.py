"""The inbox's table rows and filter controls as HTML, written in Python.

Why not in the template: the inbox must answer within 5x a trivial view of the same server
(issue 15, ``benchmarks/workspace_inbox.py``). Fifty rows of a dozen cells are some 1,800 template
nodes — most of the page's time, more than its queries — and a form's widget templates cost as
much again; ``format_html`` writes the same escaped markup in a fraction of it. The page around
them stays in templates/workspace/review/inbox.html.
"""

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

UNKNOWN = '<span class="unknown">unknown</span>'


def _known(value) -> str:
    return UNKNOWN if value is None else escape(value)


def row_html(row: dict, *, uses_signals: bool) -> SafeString:
    """One ``inbox_rows`` row as a ``<tr>``: a tick box (none once withdrawn), the applicant
    (linked to their review), graduation year, visa, signal (when the program takes signals),
    submitted date, reviews, mean score and decision. Every value from a row is escaped."""
    pk, name = escape(row["pk"]), escape(row["name"])
    pick = (
        ""
        if row["withdrawn"]
        else f'<input type="checkbox" name="submissions" value="{pk}" id="pick-{pk}">'
        f'<label for="pick-{pk}" class="visually-hidden">Select {name}</label>'
    )
    badges = ""
    if row["version"] and row["version"] > 1:
        badges += f' <span class="badge">version {escape(row["version"])}</span>'
    if row["withdrawn"]:
        badges += ' <span class="badge withdrawn-badge">withdrawn</span>'
    mine = ' <span class="badge">yours</span>' if row["mine"] else ""
    score = (
        '<span class="unknown">not scored</span>' if row["score"] is None else escape(row["score"])
    )
    decision = (
        f'<span class="decision decision-{escape(row["decision"])}">'
        f"{escape(row['decision_label'])}</span>"
        if row["decision"]
        else "—"
    )
    signal = f"<td>{escape(row['signal'])}</td>" if uses_signals else ""
    withdrawn = ' class="withdrawn"' if row["withdrawn"] else ""
    # Every value from the row went through escape() above.
    return mark_safe(
        f'<tr{withdrawn}><td>{pick}</td><th scope="row"><a href="{escape(row["url"])}">{name}</a>'
        f"{badges}</th><td>{_known(row['year'])}</td><td>{_known(row['visa'])}</td>{signal}"
        f'<td><time datetime="{escape(row["submitted_iso"])}">{escape(row["submitted"])}</time>'
        f"</td><td>{escape(row['reviews'])}{mine}</td><td>{score}</td><td>{decision}</td></tr>"
    )


def filter_controls(form) -> list[dict]:
    """The inbox form's visible fields as label, id, errors and the control's HTML (a select with
    its options, a number box with its bounds, or a tick box), keeping what the person chose."""
    controls = []
    for field in form.visible_fields():
        current = field.value()
        current = "" if current is None else str(current)
        attrs = {"id": field.id_for_label, "name": field.html_name}
        if field.name == "withdrawn":
            html = format_html(
                '<input type="checkbox" name="{name}" id="{id}"{checked}>',
                checked=mark_safe(" checked") if field.value() else "",
                **attrs,
            )
        elif hasattr(field.field, "choices"):
            options = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (value, mark_safe(" selected") if str(value) == current else "", label)
                    for value, label in field.field.choices
                ),
            )
            html = format_html('<select name="{name}" id="{id}">{}</select>', options, **attrs)
        else:
            html = format_html(
                '<input type="number" inputmode="numeric" name="{name}" id="{id}" min="{low}" '
                'max="{high}" value="{value}">',
                low=field.field.min_value,
                high=field.field.max_value,
                value=current,
                **attrs,
            )
        controls.append(
            {
                "name": field.name,
                "label": field.label,
                "id": field.id_for_label,
                "errors": field.errors,
                "checkbox": field.name == "withdrawn",
                "html": html,
            }
        )
    return controls
