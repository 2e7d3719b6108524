"""`medmatch links evaluate` and `medmatch links coverage` on tiny fixtures; the frozen-hash
refusal; the sites program titles name; how the program page says what kind of place it shows."""

import hashlib

import pytest
from tests.catalog.factories import make_institution, make_program, make_source

from medmatch.catalog.facts import program_location
from medmatch.catalog.importers.nrmp import SiteFinder
from medmatch.catalog.link_quality import (
    GoldRow,
    GoldSetError,
    catalog_coverage,
    evaluate_links,
    read_gold,
)
from medmatch.cli import main

GOLD_HEADER = "nrmp_code,sponsor_name,state,answer_ccn,answer_hospital_name,category,city,reason\n"
GOLD_ROWS = (
    "1252,U Maryland Med Ctr,MD,210002,UNIVERSITY OF MARYLAND MEDICAL CENTER,hospital,Baltimore,"
    "same name\n"
    "1943,Cone Health-NC,NC,,,system_or_network,Greensboro,a system of five hospitals\n"
    "2132,Southeast Health-AL,AL,010001,SOUTHEAST HEALTH MEDICAL CENTER,hospital,Dothan,one\n"
    "1364,St Lukes Hospital-St Louis-MO,MO,260179,ST LUKES HOSPITAL,hospital,Chesterfield,x\n"
    "2918,Rutgers-R W Johnson Medical School-NJ,NJ,,,university_or_school,New Brunswick,school\n"
)


def write_gold(folder, *, test_rows=GOLD_ROWS, frozen_rows=GOLD_ROWS):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dev.csv").write_text(GOLD_HEADER + GOLD_ROWS)
    (folder / "test.csv").write_text(GOLD_HEADER + test_rows)
    digest = hashlib.sha256((GOLD_HEADER + frozen_rows).encode()).hexdigest()
    (folder / "FROZEN.sha256").write_text(f"{digest}  test.csv\n")
    return folder


@pytest.fixture
def linked_sponsors(db):
    """Five sponsors as an import would leave them: two right links, one false, one wrong,
    one right no-link."""
    cms = make_source(key="cms-test")
    hospitals = {
        ccn: make_institution(name, ccn=ccn, kind="teaching", source=cms)
        for ccn, name in [
            ("210002", "UNIVERSITY OF MARYLAND MEDICAL CENTER"),
            ("340091", "MOSES H. CONE MEMORIAL HOSPITAL, THE"),
            ("010001", "SOUTHEAST HEALTH MEDICAL CENTER"),
            ("260176", "ST LUKE'S DES PERES HOSPITAL"),
        ]
    }
    for code, name, ccn in [
        ("1252", "U Maryland Med Ctr", "210002"),
        ("1943", "Cone Health", "340091"),
        ("2132", "Southeast Health", "010001"),
        ("1364", "St Lukes Hospital-St Louis", "260176"),
        ("2918", "Rutgers-R W Johnson Medical School", None),
    ]:
        make_institution(
            name, kind="sponsor", nrmp_code=code, hospital=hospitals.get(ccn), source=cms
        )


def test_it_counts_right_wrong_missed_and_false_links():
    gold = [
        GoldRow("0001", "A", "100001", "A HOSPITAL", "hospital"),
        GoldRow("0002", "B", "100002", "B HOSPITAL", "hospital"),
        GoldRow("0003", "C", "100003", "C HOSPITAL", "hospital"),
        GoldRow("0004", "D", "", "", "system_or_network"),
        GoldRow("0005", "E", "", "", "university_or_school"),
        GoldRow("0006", "F", "", "", "fqhc"),
    ]
    predicted = {
        "0001": ("100001", "A HOSPITAL"),
        "0002": ("100009", "OTHER"),
        "0003": ("", ""),
        "0004": ("100004", "D HOSPITAL"),
        "0005": ("", ""),
    }
    result = evaluate_links(gold, predicted)
    assert (result.correct_links, result.correct_none) == (1, 1)
    assert [e.kind for e in result.errors] == ["wrong link", "missed link", "false link"]
    assert result.precision == pytest.approx(1 / 3)  # 1 right of 3 made
    assert result.recall == pytest.approx(1 / 3)  # 1 found of 3 expected
    assert result.not_in_catalog == ["0006"]


def test_it_prints_precision_recall_confusion_and_each_error(linked_sponsors, tmp_path, capsys):
    folder = write_gold(tmp_path / "gold")
    with pytest.raises(SystemExit) as stopped:
        main(["links", "evaluate", "--set", "test", "--gold-dir", str(folder)])
    assert stopped.value.code == 0
    out = capsys.readouterr().out
    assert "precision 0.500 (2 right of 4 links made)" in out
    assert "recall    0.667 (2 found of 3 links expected)" in out
    assert "wrong link 1, missed link 0, false link 1" in out
    assert "false link: 1943 Cone Health-NC — expected none (system_or_network)" in out
    assert "wrong link: 1364 St Lukes Hospital-St Louis-MO — expected 260179" in out
    assert "got 260176 ST LUKE'S DES PERES HOSPITAL" in out


def test_it_refuses_a_test_set_changed_after_it_was_frozen(linked_sponsors, tmp_path, capsys):
    # One answer "corrected" after freezing: the file no longer has the frozen hash.
    edited = GOLD_ROWS.replace(
        "1943,Cone Health-NC,NC,,,system_or_network",
        "1943,Cone Health-NC,NC,340091,MOSES H. CONE MEMORIAL HOSPITAL,hospital",
    )
    folder = write_gold(tmp_path / "gold", test_rows=edited)
    with pytest.raises(SystemExit) as stopped:
        main(["links", "evaluate", "--set", "test", "--gold-dir", str(folder)])
    assert stopped.value.code == 2
    captured = capsys.readouterr()
    assert "differs from the frozen" in captured.err
    assert "precision" not in captured.out
    # The dev set is not frozen and is read as it is.
    with pytest.raises(SystemExit) as stopped:
        main(["links", "evaluate", "--set", "dev", "--gold-dir", str(folder)])
    assert stopped.value.code == 0


def test_it_refuses_a_test_set_whose_hash_differs_from_the_one_pinned_in_the_code(tmp_path):
    folder = write_gold(tmp_path / "gold")
    with pytest.raises(GoldSetError, match="the code"):
        read_gold(folder, "test", pinned="0" * 64)
    (folder / "FROZEN.sha256").unlink()
    with pytest.raises(GoldSetError, match="missing"):
        read_gold(folder, "test")


def test_it_names_the_row_of_a_malformed_gold_file(tmp_path):
    folder = write_gold(tmp_path / "gold")
    (folder / "dev.csv").write_text(GOLD_HEADER + "12X4,Bad,MD,,,other,,\n")
    with pytest.raises(GoldSetError, match="row 2: nrmp_code “12X4” is not 4 digits"):
        read_gold(folder, "dev")


def test_the_shipped_test_set_is_the_frozen_one(settings):
    from pathlib import Path

    from medmatch.catalog.link_quality import (
        FROZEN_TEST2_SHA256,
        FROZEN_TEST3_SHA256,
        FROZEN_TEST_SHA256,
    )

    gold = Path(settings.CATALOG_DATA_DIR) / "linking_gold"
    assert len(read_gold(gold, "test", pinned=FROZEN_TEST_SHA256)) >= 150
    assert len(read_gold(gold, "test2", pinned=FROZEN_TEST2_SHA256)) == 150
    assert len(read_gold(gold, "test3", pinned=FROZEN_TEST3_SHA256)) == 150
    assert len(read_gold(gold, "dev")) == 50


@pytest.mark.django_db
def test_it_counts_programs_by_the_kind_of_place_they_are_at(capsys):
    source = make_source()
    hospital = make_institution("RUSH UNIVERSITY MEDICAL CENTER", ccn="140119", kind="teaching")
    linked = make_institution(
        "Rush University Med Ctr",
        kind="sponsor",
        nrmp_code="1185",
        hospital=hospital,
        latitude=41.87,
        longitude=-87.67,
        coordinates_precision="address",
    )
    facility = make_institution(
        "Temple Univ/Fox Chase Cancer Ctr",
        kind="sponsor",
        nrmp_code="1638",
        latitude=40.07,
        longitude=-75.09,
        coordinates_precision="address",
    )
    city = make_institution(
        "Mayo Clinic School of Grad Med Educ",
        kind="sponsor",
        nrmp_code="1328",
        latitude=44.02,
        longitude=-92.47,
        coordinates_precision="city",
    )
    nowhere = make_institution("Advocate Health Care", kind="sponsor", nrmp_code="2117")
    for institution in (linked, facility, city, nowhere):
        make_program(
            institution=institution,
            source=source,
            nrmp_code=f"{institution.nrmp_code}140C0",
            latitude=institution.latitude,
            longitude=institution.longitude,
            coordinates_precision=institution.coordinates_precision,
        )
    make_program(
        "Internal Medicine/AIMMC",
        institution=nowhere,
        source=source,
        nrmp_code="2117140C1",
        site="ADVOCATE ILLINOIS MASONIC MEDICAL CENTER",
        latitude=41.94,
        longitude=-87.65,
        coordinates_precision="address",
    )
    figures = catalog_coverage()
    assert figures["programs_by_placement"] == {
        "hospital": 2,
        "facility": 1,
        "city": 1,
        "none": 1,
    }
    assert figures["sponsors_linked_to_a_hospital"] == 1
    assert figures["nrmp_programs_at_a_named_site"] == 1
    with pytest.raises(SystemExit):
        main(["links", "coverage"])
    out = capsys.readouterr().out
    assert "sponsors linked to a CMS hospital: 1 of 4" in out
    assert "city           1   20.0 %" in out


@pytest.fixture
def advocate(db, tmp_path):
    cms = make_source(key="cms-test")
    for ccn, name, city, lat, lon in [
        ("140182", "ADVOCATE ILLINOIS MASONIC MEDICAL CENTER", "CHICAGO", 41.94, -87.65),
        ("140223", "ADVOCATE LUTHERAN GENERAL HOSPITAL", "PARK RIDGE", 42.04, -87.85),
        ("140208", "ADVOCATE CHRIST HOSPITAL & MEDICAL CENTER", "OAK LAWN", 41.72, -87.73),
        ("140202", "ADVOCATE CONDELL MEDICAL CENTER", "LIBERTYVILLE", 42.27, -87.95),
        ("140130", "NORTHWESTERN LAKE FOREST HOSPITAL", "LAKE FOREST", 42.25, -87.85),
    ]:
        make_institution(
            name,
            ccn=ccn,
            city=city,
            region="IL",
            latitude=lat,
            longitude=lon,
            coordinates_precision="address",
            kind="teaching",
            source=cms,
        )
    hifld = tmp_path / "hifld.csv"
    hifld.write_text("ID,NAME,CITY,STATE,STATUS,LATITUDE,LONGITUDE,ALT_NAME\n")
    sponsor = make_institution(
        "Advocate Health Care", kind="sponsor", region="IL", nrmp_code="2117"
    )
    northwestern = make_institution(
        "Northwestern McGaw/NMH/VA",
        kind="sponsor",
        region="IL",
        nrmp_code="2247",
        latitude=41.88,
        longitude=-87.63,
        coordinates_precision="city",
    )
    return SiteFinder(hifld), sponsor, northwestern


def test_it_places_a_program_at_the_hospital_its_title_names(advocate):
    sites, sponsor, northwestern = advocate
    site = sites.find("Internal Medicine/AIMMC", sponsor)
    assert (site.name, site.kind) == ("ADVOCATE ILLINOIS MASONIC MEDICAL CENTER", "hospital")
    assert sites.find("Psychiatry/ALGH", sponsor).name == "ADVOCATE LUTHERAN GENERAL HOSPITAL"
    assert sites.find("Family Med/Lake Forest", northwestern).name == (
        "NORTHWESTERN LAKE FOREST HOSPITAL"
    )


def test_it_does_not_read_a_track_or_shared_initials_as_a_site(advocate):
    sites, sponsor, _ = advocate
    assert sites.find("Emergency Medicine/ACMC", sponsor) is None  # Christ or Condell
    assert sites.find("Pathology/Research", sponsor) is None
    assert sites.find("Anesthesiology/3 Yr", sponsor) is None
    assert sites.find("General Surgery", sponsor) is None


def test_it_places_a_program_at_a_city_its_title_names_when_no_hospital_of_the_sponsor_is_there(
    advocate,
):
    sites, _, northwestern = advocate
    site = sites.find("Family Medicine/Peoria", northwestern)
    assert (site.kind, site.precision) == ("city", "city")
    assert site.name.startswith("Peoria")


@pytest.mark.django_db
def test_the_page_says_which_kind_of_place_the_coordinates_are():
    hospital = make_institution(
        "RUSH UNIVERSITY MEDICAL CENTER",
        ccn="140119",
        latitude=41.87,
        longitude=-87.67,
        coordinates_precision="address",
    )
    linked = make_institution(
        "Rush University Med Ctr",
        kind="sponsor",
        nrmp_code="1185",
        hospital=hospital,
        latitude=41.87,
        longitude=-87.67,
        coordinates_precision="address",
    )
    city = make_institution(
        "Mayo Clinic School of Grad Med Educ",
        kind="sponsor",
        nrmp_code="1328",
        city="Rochester",
        latitude=44.02,
        longitude=-92.47,
        coordinates_precision="city",
    )
    program = make_program(
        institution=linked,
        nrmp_code="1185140C0",
        latitude=41.87,
        longitude=-87.67,
        coordinates_precision="address",
    )
    assert (
        "the sponsor's linked hospital, RUSH UNIVERSITY MEDICAL CENTER"
        in (program_location(program)[2])
    )
    program = make_program(
        institution=city,
        nrmp_code="1328140C0",
        latitude=44.02,
        longitude=-92.47,
        coordinates_precision="city",
    )
    assert "city centroid of Rochester" in program_location(program)[2]
    program = make_program(
        "Family Medicine/Mankato",
        institution=city,
        nrmp_code="1328120C3",
        site="MAYO CLINIC HEALTH SYSTEM - MANKATO",
        latitude=44.16,
        longitude=-94.0,
        coordinates_precision="address",
    )
    note = program_location(program)[2]
    assert "MAYO CLINIC HEALTH SYSTEM - MANKATO, the site its title names (hospital" in note


def test_it_scores_a_gold_file_kept_outside_the_tree_and_prints_its_hash(
    linked_sponsors, tmp_path, capsys
):
    path = tmp_path / "elsewhere" / "held_out.csv"
    path.parent.mkdir()
    # No FROZEN.sha256 beside it, a byte-order mark as a spreadsheet writes it: still scored.
    path.write_text("\ufeff" + GOLD_HEADER + GOLD_ROWS, encoding="utf-8")
    with pytest.raises(SystemExit) as stopped:
        main(["links", "evaluate", "--gold-file", str(path)])
    assert stopped.value.code == 0
    out = capsys.readouterr().out
    assert f"gold set: {path} (5 sponsors)" in out
    assert f"sha256: {hashlib.sha256(path.read_bytes()).hexdigest()}" in out
    assert "precision 0.500 (2 right of 4 links made)" in out
    # --set names a shipped set, --gold-file a file: not both.
    with pytest.raises(SystemExit) as stopped:
        main(["links", "evaluate", "--set", "dev", "--gold-file", str(path)])
    assert stopped.value.code == 2


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("1252,U Maryland,MD,10001,X,hospital,,", "row 3: answer_ccn “10001” is not a 6-character"),
        ("1943,Cone Health,NC,,,system_or_network,,", "row 3: nrmp_code 1943 is answered twice"),
    ],
)
def test_it_refuses_a_gold_file_with_a_mangled_ccn_or_a_sponsor_answered_twice(
    tmp_path, row, message
):
    from medmatch.catalog.link_quality import read_gold_file

    path = tmp_path / "gold.csv"
    first = "1943,Cone Health,NC,,,system_or_network,,\n"
    path.write_text(GOLD_HEADER + first + row + "\n")
    with pytest.raises(GoldSetError, match=message):
        read_gold_file(path)
    with pytest.raises(GoldSetError, match="no such file"):
        read_gold_file(tmp_path / "missing.csv")
