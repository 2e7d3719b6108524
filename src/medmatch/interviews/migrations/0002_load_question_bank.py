"""Load the built-in question bank: the interview topics (interview_question_bank_topics.csv) and
the questions to ask a program (questions_to_ask.csv), both in our own wording with their sources
(see interviews/data/SOURCES.md). Idempotent: a re-run updates each row in place by its id."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def _rows():
    with open(DATA / "interview_question_bank_topics.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            urls = [url.strip() for url in row["source_urls"].split(";") if url.strip()]
            count = len(urls)
            yield row["id"], {
                "category": row["category"],
                "text": row["question_gist_own_wording"],
                "source_label": f"{count} public source{'s' if count != 1 else ''}",
                "source_urls": "\n".join(urls),
            }
    with open(DATA / "questions_to_ask.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            urls = [url.strip() for url in row["source_urls"].split(";") if url.strip()]
            yield row["id"], {
                "category": row["category"],
                "text": row["question_own_wording"],
                "source_label": row["source_label"],
                "source_urls": "\n".join(urls),
            }


def load_question_bank(apps, schema_editor):
    Question = apps.get_model("interviews", "Question")
    for key, fields in _rows():
        Question.objects.update_or_create(key=key, student=None, defaults=fields)


def unload_question_bank(apps, schema_editor):
    # Built-ins only; a student's own questions (which have no key) stay.
    Question = apps.get_model("interviews", "Question")
    Question.objects.filter(student=None, key__in=[key for key, _ in _rows()]).delete()


class Migration(migrations.Migration):
    dependencies = [("interviews", "0001_initial")]

    operations = [migrations.RunPython(load_question_bank, unload_question_bank)]
