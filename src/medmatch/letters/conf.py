"""The letters app's settings, each with its default. A deployment overrides any of them in
``local_settings.py`` (settings.py stays the one place for environment variables)."""

from django.conf import settings

from medmatch.letters.lead_time import Policy

DEFAULTS = {
    # The lead-time planner (medmatch.letters.lead_time.Policy).
    "LETTERS_LEAD_DAYS": 42,
    "LETTERS_AT_RISK_DAYS": 14,
    "LETTERS_DUE_BUFFER_DAYS": 7,
    # An upload link lasts until the end of the due date plus this many days; with no due date,
    # LETTERS_LINK_DAYS_WITHOUT_DUE_DATE days from when it is made.
    "LETTERS_LINK_GRACE_DAYS": 14,
    "LETTERS_LINK_DAYS_WITHOUT_DUE_DATE": 60,
    "LETTERS_MAX_UPLOAD_BYTES": 5 * 1024 * 1024,
    # The upload portal answers at most this many requests per window from one client address,
    # and for one token (see medmatch.letters.ratelimit); beyond that, 429 and nothing logged.
    "LETTERS_PORTAL_WINDOW_SECONDS": 60,
    "LETTERS_PORTAL_PER_ADDRESS": 30,
    "LETTERS_PORTAL_PER_TOKEN": 15,
    # ERAS lets an applicant assign up to four letters to each program.
    "LETTERS_PER_APPLICATION": 4,
    # Reminders go to the recommender this many days before the due date (the closest one due).
    "LETTERS_REMINDER_DAYS": (14, 7, 2),
    # How often `medmatch worker` looks for reminders to send, in seconds.
    "LETTERS_REMINDER_SCAN_SECONDS": 3600,
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])


def policy() -> Policy:
    return Policy(
        lead_days=get("LETTERS_LEAD_DAYS"),
        warn_days=get("LETTERS_AT_RISK_DAYS"),
        due_buffer_days=get("LETTERS_DUE_BUFFER_DAYS"),
    )
