"""Small factories for catalog rows. ``search_text`` is filled the way the importers fill it."""

import datetime
from itertools import count

from medmatch.catalog.models import Institution, Program, Source, Specialty

_numbers = count(1)


def _search_text_functions():
    try:
        from medmatch.catalog.search_text import institution_search_text, program_search_text
    except ImportError:  # before the importer's module existed

        def institution_search_text(inst):
            return " ".join(filter(None, [inst.name, inst.city, inst.region, inst.country]))

        def program_search_text(program):
            specialty = program.specialty.name if program.specialty else ""
            return " ".join(
                filter(None, [program.title, specialty, program.institution.name, program.city])
            )

    return institution_search_text, program_search_text


def make_source(**fields) -> Source:
    n = next(_numbers)
    defaults = {
        "key": f"source-{n}",
        "name": f"Test source {n}",
        "publisher": "Test publisher",
        "url": f"https://example.org/data/{n}.csv",
        "license": "Public domain",
        "retrieved_on": datetime.date(2025, 11, 1),
    }
    return Source.objects.create(**(defaults | fields))


def make_specialty(name="Internal Medicine", **fields) -> Specialty:
    n = next(_numbers)
    from django.utils.text import slugify

    defaults = {"system": Specialty.System.ACGME, "code": str(n), "slug": slugify(name)}
    return Specialty.objects.create(name=name, **(defaults | fields))


def make_institution(name="General Hospital", **fields) -> Institution:
    if "source" not in fields:
        fields["source"] = make_source()
    institution = Institution(name=name, **fields)
    institution.search_text = _search_text_functions()[0](institution)
    institution.save()
    return institution


def make_program(title="Internal Medicine", **fields) -> Program:
    if "institution" not in fields:
        fields["institution"] = make_institution()
    if "source" not in fields:
        fields["source"] = fields["institution"].source
    program = Program(title=title, **fields)
    program.search_text = _search_text_functions()[1](program)
    program.save()
    return program
