"""Two things that must follow other writes wherever they come from:

- A deleted letter takes its file with it (a deleted request or account cascades to Letter rows;
  the files on disk would otherwise stay behind, readable by whoever finds them).
- A reminder to a recommender fixes the request's terms (waiver and recommender), like the first
  email and the first upload link do. The reminder is recorded in the same transaction that sends
  it (tasks._send_once), so the terms are fixed exactly when an email goes out.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from medmatch.letters.models import Letter, ReminderSent


@receiver(post_delete, sender=Letter)
def delete_letter_file(sender, instance, **kwargs):
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@receiver(post_save, sender=ReminderSent)
def fix_terms_on_reminder(sender, instance, created, **kwargs):
    if created and instance.request_id is not None:
        from medmatch.letters.services import request_fix_terms

        request_fix_terms(request=instance.request, now=instance.sent_at)
