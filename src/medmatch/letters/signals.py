"""A deleted letter takes its file with it (a deleted request or account cascades to Letter
rows; the files on disk would otherwise stay behind, readable by whoever finds them)."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from medmatch.letters.models import Letter


@receiver(post_delete, sender=Letter)
def delete_letter_file(sender, instance, **kwargs):
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))
