"""Testimonials: the summary a program page shows, and the rules staff use to moderate.

The summary never shows a rating for a single review — one person's scores are an anecdote, so
the page shows "1 review" and its text. From two reviews on it shows, per aspect, the median,
the range (lowest to highest) and how many gave each score: the spread is part of the answer.
"""

from dataclasses import dataclass
from statistics import median
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from medmatch.catalog.models import Program
from medmatch.research.models import REVIEW_ASPECTS, Review

MIN_REVIEWS_FOR_RATINGS = 2
SHOWN_TEXTS = 5


@dataclass(frozen=True)
class AspectSummary:
    label: str
    median: float
    low: int
    high: int
    counts: tuple[int, ...]  # how many reviews gave 1, 2, 3, 4, 5

    @property
    def bars(self) -> list[tuple[int, int, int]]:
        """(score, count, width in percent of the largest count) for the small histogram."""
        top = max(self.counts) or 1
        return [(score, n, round(100 * n / top)) for score, n in enumerate(self.counts, 1)]


@dataclass(frozen=True)
class ReviewSummary:
    count: int
    verified: int
    aspects: tuple[AspectSummary, ...]
    reviews: tuple[Review, ...]  # the newest approved ones, for their texts

    @property
    def shows_ratings(self) -> bool:
        return self.count >= MIN_REVIEWS_FOR_RATINGS


def summarize(reviews: list[Review]) -> ReviewSummary:
    """Summary of approved reviews (the caller filters). Ratings only from two reviews on."""
    aspects = []
    if len(reviews) >= MIN_REVIEWS_FOR_RATINGS:
        for aspect in REVIEW_ASPECTS:
            scores = [getattr(review, aspect.value) for review in reviews]
            aspects.append(
                AspectSummary(
                    aspect.label,
                    median(scores),
                    min(scores),
                    max(scores),
                    tuple(scores.count(score) for score in range(1, 6)),
                )
            )
    return ReviewSummary(
        count=len(reviews),
        verified=sum(review.verified for review in reviews),
        aspects=tuple(aspects),
        reviews=tuple(reviews[:SHOWN_TEXTS]),
    )


def program_review_summary(program: Program) -> ReviewSummary:
    return summarize(list(Review.objects.approved().filter(program=program)))


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].strip().lower().rstrip(".")


def website_domain(url: str) -> str:
    host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").lower().rstrip(".")
    return host.removeprefix("www.")


def email_matches_institution(email: str, website: str) -> bool:
    """The verification rule: the reviewer's email domain is the institution's website domain
    (without "www.") or a subdomain of it — ``a@med.example.edu`` matches ``www.example.edu``.

    Only a match counts; a different domain is not evidence of anything (many residents use a
    personal address), so it leaves the review unverified rather than marking it false.
    """
    mail, site = email_domain(email), website_domain(website)
    if not mail or not site or "." not in site:
        return False
    return mail == site or mail.endswith(f".{site}")


def institutional_website(review: Review) -> str:
    institution = review.program.institution
    hospital = institution.hospital
    return institution.website or (hospital.website if hospital else "") or review.program.url


@transaction.atomic
def review_moderate(*, review: Review, status: str) -> Review:
    review.status = status
    review.moderated_at = timezone.now()
    review.save(update_fields=["status", "moderated_at", "updated_at"])
    return review


@transaction.atomic
def review_verify(*, review: Review, by, how: str = "") -> bool:
    """Mark the review verified. Without ``how`` (a staff member's own check, in words) only the
    institutional email rule can verify it; returns whether it was verified."""
    if not how:
        website = institutional_website(review)
        if not email_matches_institution(review.author.email, website):
            return False
        how = f"institutional email domain ({email_domain(review.author.email)})"
    review.verified = True
    review.verified_by = by
    review.verified_at = timezone.now()
    review.verified_how = how
    review.save(update_fields=["verified", "verified_by", "verified_at", "verified_how"])
    return True
