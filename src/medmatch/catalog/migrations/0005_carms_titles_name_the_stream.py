"""CaRMS programs' titles name their stream: "Anesthesiology — Ottawa (IMG Stream for IMG)".

The CMG and IMG streams of one discipline at one site had the same title and read as duplicate
rows. The importer now writes the stream into the title (importers/carms.py ``carms_title``);
this brings an imported catalog up to date, and the search text with it.
"""

from django.db import migrations


def name_streams(apps, schema_editor):
    from medmatch.catalog.search_text import program_search_text

    Program = apps.get_model("catalog", "Program")
    changed = []
    streams = (
        Program.objects.exclude(carms_stream_id="")
        .exclude(stream="")
        .select_related("institution__hospital", "specialty__equivalent")
    )
    for program in streams:
        suffix = f" ({program.stream})"
        if not program.title.endswith(suffix):
            program.title += suffix
            program.search_text = program_search_text(program)
            changed.append(program)
    Program.objects.bulk_update(changed, ["title", "search_text"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_refresh_search_text_spelling_out_names")]

    operations = [migrations.RunPython(name_streams, migrations.RunPython.noop, elidable=True)]
