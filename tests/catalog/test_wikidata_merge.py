"""Wikidata import: US items that are a CMS hospital already in the catalog are merged into it."""

import pytest

from medmatch.catalog.models import Institution, Source

from .test_import import database_state, run, us_catalog, write  # noqa: F401 (fixture)

HEADER = "item\titemLabel\tcountryLabel\tofficial_website\tgeo"
USA = "United States of America"
ENTITY = "http://www.wikidata.org/entity/"
LABEL = "NewYork\u2013Presbyterian Hospital"  # with an en dash, as Wikidata spells it
# The CMS hospital 330101 NEW YORK PRESBYTERIAN HOSPITAL of the fixture is at (40.76, -73.95).
ROWS = [
    # The same hospital, 70 m away: merged.
    f"{ENTITY}Q100\t{LABEL}\t{USA}\t\tPoint(-73.9505 40.7604)",
    # Another hospital 700 m away: kept as it is.
    f"{ENTITY}Q101\tMemorial Sloan Kettering Cancer Center\t{USA}\t\tPoint(-73.9566 40.7641)",
    # A similar name but another kind of hospital next door: kept.
    f"{ENTITY}Q102\tNewYork-Presbyterian Children's Hospital\t{USA}\t\tPoint(-73.951 40.761)",
    # The same name 30 km away: kept (not the same place).
    f"{ENTITY}Q103\tNew York Presbyterian Hospital\t{USA}\t\tPoint(-73.6 40.76)",
    # Abroad.
    f"{ENTITY}Q104\tHôtel-Dieu de Lyon\tFrance\t\tPoint(4.83 45.75)",
    # Next to the CMS hospital 010001 (31.2, -85.4), but no word of the name says which one.
    f"{ENTITY}Q105\tSoutheast Health Medical Center\t{USA}\t\tPoint(-85.4005 31.2005)",
]


def import_wikidata(tmp_path, rows=ROWS):
    return run("wikidata-hospitals", write(tmp_path, "w.tsv", HEADER, rows))


@pytest.mark.django_db
def test_a_clear_duplicate_is_recorded_on_the_cms_hospital(us_catalog, tmp_path):  # noqa: F811
    cms = Institution.objects.get(ccn="330101")
    report = import_wikidata(tmp_path)
    assert report.figures["merged into a CMS hospital"] == 1
    assert report.created == 5
    hospital = Institution.objects.get(wikidata_id="Q100")
    assert hospital.pk == cms.pk
    assert hospital.source.key == "cms-hospitals"
    assert (hospital.name, hospital.kind) == (cms.name, cms.kind)
    assert (hospital.latitude, hospital.longitude) == (cms.latitude, cms.longitude)
    assert "Q100" in hospital.search_text
    assert Institution.objects.filter(name=LABEL).count() == 0


@pytest.mark.django_db
def test_nearby_different_or_distant_hospitals_are_kept(us_catalog, tmp_path):  # noqa: F811
    import_wikidata(tmp_path)
    for qid in ("Q101", "Q102", "Q103", "Q104", "Q105"):
        inst = Institution.objects.get(wikidata_id=qid)
        assert inst.ccn == ""
        assert inst.source.key == "wikidata-hospitals"


@pytest.mark.django_db
def test_an_ambiguous_item_is_not_merged(us_catalog, tmp_path):  # noqa: F811
    # Two CMS hospitals of the same name within 1.5 km: no clear margin.
    twin = Institution.objects.get(ccn="330101")
    twin.pk, twin.ccn, twin.wikidata_id = None, "330199", ""
    twin.latitude += 0.002
    twin.save()
    import_wikidata(tmp_path)
    assert Institution.objects.get(wikidata_id="Q100").ccn == ""


@pytest.mark.django_db
def test_a_reimport_changes_nothing(us_catalog, tmp_path):  # noqa: F811
    import_wikidata(tmp_path)
    before = database_state()
    report = import_wikidata(tmp_path)
    assert (report.created, report.updated) == (0, 0)
    assert report.figures["merged into a CMS hospital"] == 1
    assert report.figures["Wikidata id newly recorded on a CMS hospital"] == 0
    assert database_state() == before


@pytest.mark.django_db
def test_an_earlier_own_row_is_removed_when_the_item_now_merges(us_catalog, tmp_path):  # noqa: F811
    import_wikidata(tmp_path)
    cms = Institution.objects.get(ccn="330101")
    # As an import without the merge left it: the item as its own row, the CMS row without it.
    Institution.objects.filter(pk=cms.pk).update(wikidata_id="")
    Institution.objects.create(
        name=LABEL,
        wikidata_id="Q100",
        source=Source.objects.get(key="wikidata-hospitals"),
    )
    report = import_wikidata(tmp_path)
    assert report.figures["own rows of merged items removed"] == 1
    assert Institution.objects.get(wikidata_id="Q100").pk == cms.pk
    assert Institution.objects.filter(name=LABEL).count() == 0


@pytest.mark.django_db
def test_an_earlier_own_row_that_is_referenced_stays(us_catalog, tmp_path):  # noqa: F811
    import_wikidata(tmp_path)
    cms = Institution.objects.get(ccn="330101")
    Institution.objects.filter(pk=cms.pk).update(wikidata_id="")
    own = Institution.objects.create(
        name=LABEL,
        wikidata_id="Q100",
        source=Source.objects.get(key="wikidata-hospitals"),
    )
    # Something points at the row (here a sponsor's hospital link).
    Institution.objects.filter(ccn="010001").update(hospital=own)
    report = import_wikidata(tmp_path)
    assert report.skipped["not merged into a CMS hospital: its own row is referenced"] == 1
    assert Institution.objects.get(wikidata_id="Q100").pk == own.pk
    assert Institution.objects.get(pk=cms.pk).wikidata_id == ""
    assert import_wikidata(tmp_path).updated == 0
