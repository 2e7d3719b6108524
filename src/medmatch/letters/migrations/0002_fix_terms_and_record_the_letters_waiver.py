"""The waiver and the recommender of a request are fixed once an upload link exists or an email
went to the recommender (``terms_fixed_at``), and each letter records the waiver it arrived under
(``Letter.waived``). For existing rows: a request that already has a link, a reminder or a letter
is fixed as of the earliest of them; each letter takes its request's waiver. Letter files already
on disk become readable by the server's user alone (0600, folders 0700), as new ones are."""

import os

from django.db import migrations, models
from django.db.models import Min


def fix_existing(apps, schema_editor):
    LetterRequest = apps.get_model("letters", "LetterRequest")
    Letter = apps.get_model("letters", "Letter")
    requests = LetterRequest.objects.annotate(
        first_link=Min("links__created_at"),
        first_reminder=Min("reminders__sent_at"),
        letter_at=Min("letter__uploaded_at"),
    )
    for request in requests.iterator():
        moments = [
            moment
            for moment in (request.first_link, request.first_reminder, request.letter_at)
            if moment is not None
        ]
        if moments and request.terms_fixed_at is None:
            request.terms_fixed_at = min(moments)
            request.save(update_fields=["terms_fixed_at"])
    for letter in Letter.objects.select_related("request").iterator():
        letter.waived = letter.request.waived
        letter.save(update_fields=["waived"])
        _make_private(letter.file)


def _make_private(field_file) -> None:
    try:
        path = field_file.path
    except (ValueError, NotImplementedError):
        return
    if os.path.exists(path):
        os.chmod(path, 0o600)
        letters = os.path.dirname(path)  # MEDIA_ROOT/private/letters
        for folder in (letters, os.path.dirname(letters)):
            os.chmod(folder, 0o700)


class Migration(migrations.Migration):

    dependencies = [
        ("letters", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="letterrequest",
            name="terms_fixed_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                null=True,
                verbose_name="waiver and recommender fixed at",
            ),
        ),
        migrations.AddField(
            model_name="letter",
            name="waived",
            # Confidential until the data step below copies each request's waiver.
            field=models.BooleanField(default=True),
            preserve_default=False,
        ),
        migrations.RunPython(fix_existing, migrations.RunPython.noop),
    ]
