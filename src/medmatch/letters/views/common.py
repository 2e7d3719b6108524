"""The access helpers of the letters pages: one per owned object, returning the student's own
object or raising 404, so that no view filters by owner itself."""

from medmatch.letters.models import LetterRequest, Recommender, UploadLink
from medmatch.lib.access import get_owned_or_404


def get_recommender(request, pk: int) -> Recommender:
    return get_owned_or_404(Recommender.objects.all(), request.user, pk=pk)


def get_letter_request(request, pk: int) -> LetterRequest:
    return get_owned_or_404(
        LetterRequest.objects.select_related("recommender", "student"), request.user, pk=pk
    )


def get_link(request, pk: int) -> UploadLink:
    return get_owned_or_404(
        UploadLink.objects.select_related("request"),
        request.user,
        pk=pk,
    )
