from django.contrib import messages
from django.shortcuts import render
from django.views.decorators.http import require_GET

from medmatch.catalog.facts import program_facts
from medmatch.catalog.forms import parse_compare_ids
from medmatch.catalog.models import Program
from medmatch.catalog.views.details import get_program


@require_GET
def compare_programs(request):
    ids, problems = parse_compare_ids(request.GET.getlist("p"))
    found = set(Program.objects.filter(pk__in=ids).values_list("pk", flat=True))
    problems += [f"p: there is no program number {pk}." for pk in ids if pk not in found]
    for problem in problems:
        messages.warning(request, problem)
    programs = [get_program(pk) for pk in ids if pk in found]
    sheets = [program_facts(program) for program in programs]
    # One row per fact label, in the order the first program lists them.
    # The column headings name the institution and the program; no row repeats them.
    labels = list(
        dict.fromkeys(
            fact.label
            for sheet in sheets
            for fact in sheet.facts
            if fact.label not in ("Program", "Institution")
        )
    )
    rows = [
        (label, [next((f for f in sheet.facts if f.label == label), None) for sheet in sheets])
        for label in labels
    ]
    return render(request, "catalog/compare.html", {"programs": programs, "rows": rows})
