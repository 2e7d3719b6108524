"""Recompute ``search_text`` of every institution and program with the current rules.

The rules now add each name spelled out ("Hosps Sys" -> "hospitals system"), its acronym
("AIIMS"), its website's distinctive host words, and a sponsor's linked hospital's name on its
programs (catalog/search_text.py). Rows imported before would not be found by those words until the
next import; this brings a catalog up to date once. The triggers (SQLite) and the generated column
(PostgreSQL) keep the full-text index in step.
"""

from django.db import migrations

BATCH = 2000


def refresh(apps, schema_editor):
    from medmatch.catalog.search_text import institution_search_text, program_search_text

    Institution = apps.get_model("catalog", "Institution")
    Program = apps.get_model("catalog", "Program")
    for model, text_of, related in (
        (Institution, institution_search_text, ()),
        (
            Program,
            program_search_text,
            ("institution__hospital", "specialty__equivalent"),
        ),
    ):
        changed = []
        for row in model.objects.select_related(*related).order_by("pk").iterator(BATCH):
            text = text_of(row)
            if text != row.search_text:
                row.search_text = text
                changed.append(row)
            if len(changed) >= BATCH:
                model.objects.bulk_update(changed, ["search_text"])
                changed = []
        model.objects.bulk_update(changed, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_postgres_search_vector")]

    operations = [migrations.RunPython(refresh, migrations.RunPython.noop, elidable=True)]
