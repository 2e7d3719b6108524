"""Rule tables for Canada: training-length rows keyed by system (CaRMS disciplines have no NRMP
track), work-hour rules for one province or one faculty with whom they hold for, and an unknown version date
allowed (a document whose date was not checked has none)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0010_internship_type"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="traininglengthrule",
            options={"ordering": ["system", "specialty_code", "track_type"]},
        ),
        migrations.AlterModelOptions(
            name="workhourrule",
            options={"ordering": ["country", "region", "key"]},
        ),
        migrations.AddField(
            model_name="traininglengthrule",
            name="system",
            field=models.CharField(
                choices=[
                    ("acgme", "ACGME (US)"),
                    ("carms", "CaRMS discipline (Canada)"),
                    ("general", "General list (other countries)"),
                ],
                default="acgme",
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="traininglengthrule",
            name="track_type",
            field=models.CharField(
                blank=True,
                choices=[
                    ("categorical", "Categorical"),
                    ("preliminary", "Preliminary"),
                    ("advanced", "Advanced"),
                    ("reserved", "Reserved"),
                    ("physician", "Physician"),
                ],
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="traininglengthrule",
            name="document_date",
            field=models.DateField(
                blank=True, help_text="The date the cited version took effect.", null=True
            ),
        ),
        migrations.AlterField(
            model_name="workhourrule",
            name="document_date",
            field=models.DateField(
                blank=True, help_text="The date the cited version took effect.", null=True
            ),
        ),
        migrations.AlterField(
            model_name="traininglengthrule",
            name="body",
            field=models.CharField(help_text="Who sets the rule: ACGME, CFPC...", max_length=40),
        ),
        migrations.AlterField(
            model_name="workhourrule",
            name="body",
            field=models.CharField(help_text="Who sets the rule: ACGME, CFPC...", max_length=40),
        ),
        migrations.AddField(
            model_name="workhourrule",
            name="region",
            field=models.CharField(blank=True, max_length=3),
        ),
        migrations.AddField(
            model_name="workhourrule",
            name="faculty",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="workhourrule",
            name="applies_to",
            # Every row before this migration is an ACGME rule for US programs.
            field=models.CharField(
                default="every US program",
                help_text="Whom the rule holds for: every US program, every resident...",
                max_length=120,
            ),
            preserve_default=False,
        ),
    ]
