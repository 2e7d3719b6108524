"""Personal statements: the list, the editor with inline analyzer feedback (htmx after a pause in
typing, or the Analyze button without JavaScript), versions, the diff between two of them, and
restoring one. Every statement is fetched through ``get_statement``: someone else's is a 404,
including at the analyze endpoint."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from medmatch.applications.forms import (
    StatementAnalyzeForm,
    StatementCreateForm,
    StatementForm,
    VersionDiffForm,
)
from medmatch.applications.models import STATEMENT_MAX_CHARS, Statement, StatementVersion
from medmatch.applications.services import (
    statement_create,
    statement_for_application,
    statement_restore,
    statement_save,
)
from medmatch.applications.statement_text import (
    Mark,
    diff_counts,
    in_reading_order,
    segments,
    word_diff,
)
from medmatch.applications.views.common import get_application
from medmatch.applications.writing_context import statement_analysis
from medmatch.lib.access import get_owned_or_404
from medmatch.lib.middleware import answers_too_large

FLAG_LABELS = {
    "cliche": "Cliché",
    "generic": "Generic sentence",
    "superlative": "Superlative",
    "stock_phrase": "Stock phrase",
    "long_sentence": "Long sentence",
    "repeated_opening": "Repeated opening",
}


def text_size_guard(field: str, limit: int, back_to: str):
    """Read the POST body up front; one larger than DATA_UPLOAD_MAX_MEMORY_SIZE (a 20 MB paste)
    gets a 413 that says what to do, and nothing is written. For htmx the message comes back as a
    200 fragment so it is shown where the feedback goes; the text stays in the browser."""

    def too_large(request):
        message = (
            f"{field}: at most {limit:,} characters. What you sent is far larger, "
            "so nothing was saved or analyzed; shorten the text and try again."
        )
        if request.htmx:
            context = {"error": message}
            return render(request, "applications/statement_feedback.html", context)
        context = {"message": message, "back_to": back_to}
        return render(request, "applications/statement_too_large.html", context, status=413)

    def decorator(view):
        @answers_too_large(too_large)  # lib.middleware answers before CSRF reads the body
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if request.method == "POST":
                try:
                    request.POST  # noqa: B018 — parsing is what raises
                except RequestDataTooBig:
                    return too_large(request)
            return view(request, *args, **kwargs)

        return guarded

    return decorator


statement_size_guard = text_size_guard("body", STATEMENT_MAX_CHARS, "applications:statements")


def get_statement(request, pk: int) -> Statement:
    return get_owned_or_404(
        Statement.objects.select_related("application__program__institution"),
        request.user,
        pk=pk,
    )


def feedback(statement: Statement, body: str) -> dict:
    """The analyzer's view of ``body``: the text cut into highlighted segments with numbered
    notes, the specificity report for the statement's program (if any), the sentences that seem
    written for another program the student applies to, and the metrics."""
    analysis = statement_analysis(statement, body)
    notes = [
        {
            "number": number,
            "flag": flag,
            "label": FLAG_LABELS.get(flag.kind, flag.kind),
            "phrase": body[flag.start : flag.end],
        }
        for number, flag in enumerate(in_reading_order(analysis.flags), start=1)
    ]
    marks = [Mark(n["flag"].start, n["flag"].end, n["flag"].kind, n["number"]) for n in notes]
    return {
        "analysis": analysis,
        "segments": segments(body, marks),
        "notes": notes,
        "metrics": analysis.metrics,
        "specificity": analysis.specificity,
        "copy_paste": analysis.copy_paste,
        "first_person_percent": round(analysis.metrics.first_person_density * 100, 1),
        "program": statement.application.program if statement.application else None,
        "analyzed": True,
    }


@login_required
@require_GET
def list_statements(request):
    statements = Statement.objects.for_student(request.user).select_related(
        "application__program__institution"
    )
    form = StatementCreateForm(student=request.user)
    return render(request, "applications/statements.html", {"statements": statements, "form": form})


@login_required
@require_POST
def create_statement(request):
    form = StatementCreateForm(request.POST, student=request.user)
    if not form.is_valid():
        statements = Statement.objects.for_student(request.user)
        context = {"statements": statements, "form": form}
        return render(request, "applications/statements.html", context, status=400)
    statement = statement_create(
        student=request.user,
        title=form.cleaned_data["title"],
        application=form.cleaned_data["application"],
    )
    return redirect(statement)


@require_POST
def start_application_statement(request, pk: int):
    application = get_application(request, pk)
    statement, created = statement_for_application(application=application)
    if created:
        messages.success(request, f"Started “{statement.title}”.")
    return redirect(statement)


@require_http_methods(["GET", "POST"])
@statement_size_guard
def edit_statement(request, pk: int):
    statement = get_statement(request, pk)
    body = statement.current_body()
    initial = {"title": statement.title, "word_limit": statement.word_limit, "body": body}
    form = StatementForm(request.POST if request.method == "POST" else None, initial=initial)
    context = {"statement": statement, "form": form}
    if form.is_valid():
        data = form.cleaned_data
        version = statement_save(
            statement=statement,
            body=data["body"],
            title=data["title"],
            word_limit=data["word_limit"],
            note=data["note"],
        )
        messages.success(
            request, "Saved a new version." if version else "Saved (the text is unchanged)."
        )
        return redirect(statement)
    if request.method == "GET" and body:
        context |= feedback(statement, body)
    return render(request, "applications/statement_edit.html", context)


@require_POST
@statement_size_guard
def analyze_statement(request, pk: int):
    statement = get_statement(request, pk)
    form = StatementAnalyzeForm(request.POST)
    if not form.is_valid():
        context = {"error": form.error_text()}
    else:
        context = feedback(statement, form.cleaned_data["body"])
    if request.htmx:
        return render(request, "applications/statement_feedback.html", context)
    # Without JavaScript: the whole editor, with the text as typed (not saved) and its feedback.
    data = {
        "title": statement.title,
        "word_limit": statement.word_limit,
        "body": request.POST.get("body", ""),
    }
    context |= {"statement": statement, "form": StatementForm(initial=data), "unsaved": True}
    return render(request, "applications/statement_edit.html", context)


@require_GET
def show_versions(request, pk: int):
    statement = get_statement(request, pk)
    versions = list(statement.versions.order_by("-created_at", "-pk"))
    return render(
        request,
        "applications/statement_versions.html",
        {"statement": statement, "versions": versions},
    )


@require_GET
def show_diff(request, pk: int):
    statement = get_statement(request, pk)
    form = VersionDiffForm(request.GET, versions={v.pk: v for v in statement.versions.all()})
    if not form.is_valid():
        messages.error(request, "diff: choose two versions of this statement to compare.")
        return redirect("applications:statement_versions", statement.pk)
    old, new = form.pair()
    pairs = word_diff(old.body, new.body)
    context = {
        "statement": statement,
        "old": old,
        "new": new,
        "pairs": pairs,
        "counts": diff_counts(pairs),
    }
    return render(request, "applications/statement_diff.html", context)


@require_POST
def restore_version(request, pk: int):
    version = get_owned_or_404(
        StatementVersion.objects.select_related("statement"),
        request.user,
        pk=pk,
    )
    restored = statement_restore(version=version)
    messages.success(
        request,
        "Restored that version as the current text."
        if restored
        else "That version is already the current text.",
    )
    return redirect(version.statement)


@require_http_methods(["GET", "POST"])
def delete_statement(request, pk: int):
    statement = get_statement(request, pk)
    if request.method == "GET":
        return render(request, "applications/statement_delete.html", {"statement": statement})
    statement.delete()
    messages.success(request, f"Deleted “{statement.title}” and all its versions.")
    return redirect("applications:statements")
