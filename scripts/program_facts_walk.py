"""Print the five place, hospital and rule facts of some programs, as their pages show them.

    uv run python scripts/program_facts_walk.py                 # Rush IM and the issue-11 walk
    uv run python scripts/program_facts_walk.py 1234567C0 ...   # NRMP program codes

Each fact is printed with its scope (whose fact it is), its period and its source key, from the
page itself (the Django test client renders the program page and reads its fact sheet), so it
shows what a student sees. Run `medmatch import all` first.
"""

import os
import sys

os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

FIVE = ("Setting", "Rent near the program", "Teaching intensity", "Length", "Duty hours")
# Rush University Internal Medicine and nine programs across rural and urban states (issue 11).
WALK = (
    ("Rush University", "Internal Medicine", "IL"),
    ("Bassett", "Internal Medicine", "NY"),
    ("Clarion", "Family Medicine", "PA"),
    ("Golden Triangle", "Internal Medicine", "MS"),
    ("MercyOne North Iowa", "Family Medicine", "IA"),
    ("Deaconess", "Family Medicine", "KY"),
    ("United Hospital Ctr", "Family Medicine", "WV"),
    ("Baptist Hosps of Southeast Texas", "Internal Medicine", "TX"),
    ("White Memorial", "Internal Medicine", "CA"),
    ("Trios", "Internal Medicine", "WA"),
)


def main(codes: list[str]) -> int:
    from medmatch.lib.django_setup import setup_django

    setup_django()
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment

    from medmatch.catalog.models import Program

    setup_test_environment()
    override_settings(
        ALLOWED_HOSTS=["testserver"],
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ).enable()
    if codes:
        programs = list(Program.objects.filter(nrmp_code__in=codes).order_by("nrmp_code"))
    else:
        programs = []
        for name, title, state in WALK:
            program = (
                Program.objects.filter(
                    institution__name__icontains=name,
                    institution__region=state,
                    title=title,
                    track_type="categorical",
                )
                .order_by("pk")
                .first()
            )
            if program is None:
                print(f"not in the catalog: {name} {title} ({state})", file=sys.stderr)
                continue
            programs.append(program)
    if not programs:
        print("no program found; run `medmatch import all` first", file=sys.stderr)
        return 1
    client = Client()
    complete = 0
    for program in programs:
        response = client.get(f"/catalog/programs/{program.pk}/")
        known = {fact.label: fact for fact in response.context["sheet"].facts if not fact.unknown}
        institution = program.institution
        print(
            f"{program.title} — {institution.name} ({institution.city}, {institution.region}), "
            f"NRMP {program.nrmp_code}, HTTP {response.status_code}"
        )
        for label in FIVE:
            fact = known.get(label)
            if fact is None:
                print(f"    {label}: unknown")
                continue
            source = fact.source.key if fact.source else "no source"
            scope = fact.scope_label or fact.scope
            print(f"    {label}: {fact.value} [{scope}; {fact.as_of}; {source}]")
        complete += all(label in known for label in FIVE)
    print(f"{complete} of {len(programs)} programs show all five facts")
    return 0 if complete == len(programs) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
