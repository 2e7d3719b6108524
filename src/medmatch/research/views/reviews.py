"""Writing a review. Any logged-in user may write one per program; it shows to others only after
staff approve it in the admin (``research/admin.py``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from medmatch.catalog.models import Program
from medmatch.research.forms.reviews import ReviewForm
from medmatch.research.models import Review
from medmatch.research.services import review_save


@login_required
@require_http_methods(["GET", "POST"])
def write_review(request, program_pk: int):
    program = get_object_or_404(Program.objects.select_related("institution"), pk=program_pk)
    review = Review.objects.filter(author=request.user, program=program).first()
    form = ReviewForm(request.POST or None, instance=review)
    if form.is_valid():
        review_save(author=request.user, program=program, **form.cleaned_data)
        messages.success(
            request,
            "Thank you. Your review is awaiting moderation: only you and the site's staff can "
            "see it until it is approved.",
        )
        return redirect(f"{reverse('catalog:program', args=[program.pk])}#reviews-h")
    context = {"form": form, "program": program, "review": review}
    return render(request, "research/review_form.html", context)
