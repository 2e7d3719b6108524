from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.views.decorators.http import require_GET

from medmatch.catalog.models import Institution, Program, Source


def _count_of(model):
    # A correlated count per source; two joined Counts would multiply the rows.
    rows = (
        model.objects.filter(source=OuterRef("pk"))
        .order_by()
        .values("source")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


@require_GET
def list_sources(request):
    sources = Source.objects.annotate(
        institution_count=_count_of(Institution), program_count=_count_of(Program)
    ).order_by("name")
    return render(request, "catalog/sources.html", {"sources": sources})
