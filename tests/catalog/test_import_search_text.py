"""The importers compute search texts from plain values (``InstitutionFields``,
``ProgramFields``, ``nearest_city_names``) instead of model objects: the texts must be the ones
the models give."""

from medmatch.catalog.importers.base import InstitutionFields, ProgramFields, nearest_city_names
from medmatch.catalog.models import Institution, Program, Specialty
from medmatch.catalog.search_text import institution_search_text, program_search_text


def _program_values(**values):
    return {
        "title": "Internal Medicine/AIMMC",
        "program_type": Program.ProgramType.RESIDENCY,
        "track_type": Program.TrackType.PRELIMINARY,
        "stream": "Rural",
        "site": "Advocate Illinois Masonic",
        "city": "Chicago",
        "region": "IL",
        "country": "US",
        "nrmp_code": "1234140P0",
        **values,
    }


def test_program_fields_give_the_models_search_text():
    hospital = Institution(name="Advocate Illinois Masonic Med Ctr", city="Chicago", region="IL")
    hospital.pk = 7
    sponsor = Institution(
        name="Advocate Health Care-IL", kind=Institution.Kind.SPONSOR, region="IL", country="US"
    )
    sponsor.hospital, sponsor.hospital_id = hospital, 7
    equivalent = Specialty(name="Médecine interne")
    equivalent.pk = 3
    specialty = Specialty(name="Internal Medicine", equivalent=equivalent)
    for values in (
        _program_values(),
        _program_values(track_type="", program_type="", stream="", description="More words"),
        _program_values(carms_stream_id="12345", country="CA", region="ON"),
    ):
        for chosen in (specialty, None):
            model = Program(**values)
            model.institution, model.specialty = sponsor, chosen
            fields = ProgramFields(sponsor, chosen, **values)
            assert program_search_text(fields) == program_search_text(model)
    assert "Preliminary" in program_search_text(ProgramFields(sponsor, None, **_program_values()))


def test_nearest_cities_filled_at_once_are_the_models_own():
    rows = [
        {"name": "AIIMS", "latitude": 28.5666, "longitude": 77.2115, "country": "IN"},
        {"name": "Open sea", "latitude": 0.0, "longitude": -150.0},
        {"name": "Has a city", "city": "Lyon", "latitude": 45.7583, "longitude": 4.8364},
        {"name": "No coordinates"},
    ]
    fields = [InstitutionFields(**row) for row in rows]
    places = [(f.city, f.latitude, f.longitude) for f in fields]
    for f, city in zip(fields, nearest_city_names(places), strict=True):
        f._nearest_city = city
    assert [f.nearest_city for f in fields] == [Institution(**row).nearest_city for row in rows]
    assert fields[0].nearest_city == "Delhi"
    assert [institution_search_text(f) for f in fields] == [
        institution_search_text(Institution(**row)) for row in rows
    ]
