from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from medmatch.catalog import search
from medmatch.catalog.forms import SORT_LABELS, InstitutionSearchForm, ProgramSearchForm

_MAIN_FIELDS = ("q", "near", "radius")


def _search_page(request, form, run, *, list_url, template, partial):
    # htmx asks for the results region only; a plain request (or a shared URL) gets the page.
    results = run(form.to_query()) if form.is_valid() else None
    filters = [f for f in form.visible_fields() if f.name not in _MAIN_FIELDS]
    near = results.query.near if results else None
    context = {
        # An ambiguous "near" asks which city; a name taken as its much bigger namesake offers
        # the others. Either way each city is a link to the same search near it.
        "place_choices": [(label, _with_near(request, label)) for label in form.place_candidates],
        "place_alternatives": [
            (label, _with_near(request, label)) for label in (near.alternatives if near else ())
        ],
        "form": form,
        "results": results,
        "sort_label": SORT_LABELS[results.sort].lower() if results else "",
        "list_url": list_url,
        "querystring": _querystring(request),
        "main_fields": [form[name] for name in _MAIN_FIELDS],
        "filter_fields": filters,
        "filters_open": any(request.GET.get(f.name) for f in filters),
    }
    return render(request, partial if request.htmx else template, context)


def _with_near(request, label: str) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params["near"] = label
    return f"?{params.urlencode()}"


def _querystring(request) -> str:
    """The current filters without the page number, for pagination links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@require_GET
def list_programs(request):
    return _search_page(
        request,
        ProgramSearchForm(request.GET),
        search.search_programs,
        list_url=reverse("catalog:programs"),
        template="catalog/program_list.html",
        partial="catalog/_program_results.html",
    )


@require_GET
def list_institutions(request):
    return _search_page(
        request,
        InstitutionSearchForm(request.GET),
        search.search_institutions,
        list_url=reverse("catalog:institutions"),
        template="catalog/institution_list.html",
        partial="catalog/_institution_results.html",
    )
