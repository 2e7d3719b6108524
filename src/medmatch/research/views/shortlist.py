"""Shortlist pages. Every item is fetched with ``get_owned_or_404``: another user's item is a 404
for everyone else, including an anonymous visitor (never a redirect that would confirm it exists).
htmx requests get the fragment they swap in; the same URLs work as plain forms without JavaScript.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from medmatch.catalog.models import Program
from medmatch.lib.access import get_owned_or_404
from medmatch.research.comparison import build_comparison
from medmatch.research.forms.shortlist import (
    ShortlistFilterForm,
    ShortlistItemForm,
    parse_compare_ids,
)
from medmatch.research.models import ShortlistItem, Tag
from medmatch.research.services import shortlist_add, shortlist_remove, shortlist_update

MAX_COMPARE_VALUES = 50  # more ids than this is not a real selection; don't look them all up


def get_item(request, pk: int) -> ShortlistItem:
    return get_owned_or_404(ShortlistItem.objects.with_program(), request.user, pk=pk)


def _back(request, default: str):
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    # A path on this site only: redirect() would read "abc" as a URL pattern name and fail.
    return redirect(target if safe and target.startswith("/") else default)


@login_required
@require_GET
def show_shortlist(request):
    tag_names = list(Tag.objects.for_student(request.user).values_list("name", flat=True))
    form = ShortlistFilterForm(request.GET, tag_names=tag_names)
    tag = form.value("tag")
    sort = form.value("sort", ShortlistItem.Sort.ADDED)
    items = ShortlistItem.objects.for_student(request.user).with_program()
    context = {
        "form": form,
        "items": items.tagged(tag).sorted_by(sort),
        "total": items.count(),
        "tag": tag,
        "tag_names": tag_names,
    }
    return render(request, "research/shortlist.html", context)


@login_required
@require_POST
def add_to_shortlist(request, program_pk: int):
    program = get_object_or_404(Program.objects.select_related("institution"), pk=program_pk)
    _, created = shortlist_add(student=request.user, program=program)
    if request.htmx:
        return render(request, "research/_shortlist_button_form.html", {"program": program})
    if created:
        messages.success(request, f"Added “{program.title}” to your shortlist.")
    return _back(request, reverse("research:shortlist"))


@require_GET
def show_shortlist_item(request, pk: int):
    item = get_item(request, pk)
    template = "research/_item.html" if request.htmx else "research/item.html"
    return render(request, template, {"item": item})


@require_http_methods(["GET", "POST"])
def edit_shortlist_item(request, pk: int):
    item = get_item(request, pk)
    form = ShortlistItemForm.for_item(item, request.POST if request.method == "POST" else None)
    if form.is_valid():
        shortlist_update(item=item, **form.cleaned_data)
        if request.htmx:
            return render(request, "research/_item.html", {"item": item, "saved": True})
        messages.success(request, f"Saved your note on “{item.program.title}”.")
        return redirect(f"{reverse('research:shortlist')}#item-{item.pk}")
    template = "research/_item_form.html" if request.htmx else "research/edit.html"
    return render(request, template, {"item": item, "form": form})


@require_http_methods(["GET", "POST"])
def remove_from_shortlist(request, pk: int):
    item = get_item(request, pk)
    if request.method == "GET":
        return render(request, "research/remove.html", {"item": item})
    program = item.program
    shortlist_remove(item=item)
    if request.htmx:
        if request.POST.get("button"):
            return render(request, "research/_shortlist_button_form.html", {"program": program})
        return HttpResponse("")  # the item's row is swapped for nothing
    messages.success(request, f"Removed “{program.title}” from your shortlist.")
    return _back(request, reverse("research:shortlist"))


@require_GET
def compare_shortlisted(request):
    values = request.GET.getlist("item")
    if len(values) > MAX_COMPARE_VALUES:
        return HttpResponse("item: too many values.", status=400, content_type="text/plain")
    ids, problems = parse_compare_ids(values)
    chosen = [get_item(request, pk) for pk in ids]  # anyone else's id is a 404
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    context = {
        "problems": problems,
        "chosen_ids": ids,
        "items": ShortlistItem.objects.for_student(request.user).with_program().sorted_by("name"),
        "comparison": build_comparison(request.user, chosen) if chosen and not problems else None,
    }
    return render(request, "research/compare.html", context)
