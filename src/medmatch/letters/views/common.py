"""The access helpers of the letters pages (STYLE rule 4): the student's own objects or 404."""

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
        owner_field="request__student",
        pk=pk,
    )
