from django.shortcuts import render

from medmatch.catalog.models import Institution, Program, Source


def home(request):
    counts = {
        "programs": Program.objects.count(),
        "institutions": Institution.objects.count(),
        "sources": Source.objects.count(),
    }
    return render(request, "home.html", {"counts": counts})
