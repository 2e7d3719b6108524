"""Issue 11 hospital facts: the bulk lookups (teaching trend, H-1B evidence) and the facts they
put on program and hospital pages, with scope label, period and source."""

import pytest
from django.urls import reverse
from tests.catalog.factories import make_institution, make_program, make_source
from tests.catalog.test_hospital_data_import import (
    HCRIS_HEADER,
    HCRIS_ROWS,
    LCA_HEADER,
    LCA_ROWS,
    hcris,
    run,
    write,
)

from medmatch.catalog.hospital_data import h1b_for_programs, teaching_for_programs
from medmatch.catalog.models import Program

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(tmp_path):
    cms = make_source(key="cms-hospitals", name="CMS hospitals (test)")
    nrmp = make_source(key="nrmp-institutions", name="NRMP (test)")
    rush = make_institution(
        "RUSH UNIVERSITY MEDICAL CENTER",
        ccn="140119",
        city="Chicago",
        region="IL",
        country="US",
        postal_code="60612",
        is_teaching=True,
        source=cms,
    )
    make_institution(
        "UNIVERSITY OF ILLINOIS HOSPITAL",
        ccn="140150",
        region="IL",
        country="US",
        postal_code="60612",
        is_teaching=True,
        source=cms,
    )
    iowa = make_institution(
        "IOWA HOSPITAL", ccn="160067", region="IA", country="US", postal_code="50001", source=cms
    )
    sponsor = make_institution(
        "Rush University Med Ctr-IL",
        nrmp_code="1147",
        kind="sponsor",
        region="IL",
        country="US",
        hospital=rush,
        source=nrmp,
    )
    lonely = make_institution(
        "Rural Health Sponsor-NY",
        nrmp_code="1999",
        kind="sponsor",
        region="NY",
        country="US",
        source=nrmp,
    )
    toronto = make_institution(
        "University of Toronto", carms_school_id="TORONTO", region="ON", country="CA", source=nrmp
    )
    rows = [
        *HCRIS_ROWS,
        hcris(
            2019, "140119", "RUSH UNIVERSITY MEDICAL CENTER", "2018-07-01", "2019-06-30", 590, 578
        ),
    ]
    run("cms-cost-reports", write(tmp_path, "hcris.csv", HCRIS_HEADER, rows))
    run("dol-lca-trainees", write(tmp_path, "lca.csv", LCA_HEADER, LCA_ROWS))
    return {
        "rush_im": make_program("Internal Medicine", institution=sponsor, source=nrmp),
        "iowa_fm": make_program("Family Medicine", institution=iowa, source=cms),
        "lonely": make_program("Family Medicine", institution=lonely, source=nrmp),
        "toronto": make_program("Family Medicine", institution=toronto, source=nrmp, country="CA"),
        "rush": rush,
    }


def fetch(ids):
    return list(Program.objects.filter(pk__in=ids).select_related("institution__hospital"))


def test_teaching_trend_reaches_the_hospital_through_the_sponsor(catalog):
    programs = fetch([p.pk for k, p in catalog.items() if k != "rush"])
    trends = teaching_for_programs(programs)
    rush = trends[catalog["rush_im"].pk]
    assert rush.reached_through == "the linked hospital"
    assert (rush.first_year, rush.last_year, rush.fte_first, rush.fte_last) == (
        2017,
        2021,
        565.2,
        615.7,
    )
    assert rush.sentence() == (
        "1.07 residents per bed (2021); resident FTE 565 → 616 over 2017\u20132021; "
        "Medicare IME payment $51.6 million (2021)"
    )
    assert rush.source.key == "cms-cost-reports"
    assert catalog["lonely"].pk not in trends and catalog["toronto"].pk not in trends


def test_teaching_trend_leaves_out_a_flagged_year(catalog):
    iowa = teaching_for_programs(fetch([catalog["iowa_fm"].pk]))[catalog["iowa_fm"].pk]
    assert [year for year, _ in iowa.flagged] == [2018]
    assert (
        iowa.sentence() == "0.11 residents per bed (2021); resident FTE 13 → 17 over 2017\u20132021"
    )
    assert "1,610" not in iowa.sentence() and "2018 left out" in iowa.note()


def test_h1b_evidence_found_none_found_and_unknown(catalog, django_assert_max_num_queries):
    programs = fetch([p.pk for k, p in catalog.items() if k != "rush"])
    with django_assert_max_num_queries(6):
        evidence = h1b_for_programs(programs)
    rush = evidence[catalog["rush_im"].pk]
    assert (rush.filings, rush.residents, rush.fellows) == (2, 1, 1)
    assert (rush.wage_min, rush.wage_max) == (71000, 88000)
    assert rush.sentence() == (
        "2 employers filed 2 LCAs for residents/fellows in FY2025 Q2 (1 resident, 1 fellow), "
        "offered $71,000\u2013$88,000"
    )
    assert "worksite ZIP of RUSH UNIVERSITY MEDICAL CENTER" in rush.note()
    lonely = evidence[catalog["lonely"].pk]
    assert not lonely.found
    assert lonely.sentence() == "no H-1B filing found in one quarter of data (DOL FY2025 Q2)"
    assert "does not mean the program does not sponsor" in lonely.note()
    assert catalog["toronto"].pk not in evidence  # outside the US: unknown, no fact


def test_program_page_shows_the_hospital_facts_with_scope_and_period(client, catalog):
    response = client.get(reverse("catalog:program", args=[catalog["rush_im"].pk]))
    facts = {fact.label: fact for fact in response.context["sheet"].facts}
    teaching = facts["Teaching intensity"]
    assert (teaching.scope, teaching.scope_label, teaching.as_of) == (
        "institution",
        "RUSH UNIVERSITY MEDICAL CENTER",
        "2017\u20132021",
    )
    h1b = facts["H-1B evidence"]
    assert h1b.as_of == "FY2025 Q2" and h1b.source.key == "dol-lca-trainees"
    assert "1.07 residents per bed" in response.text
    assert "Hospital: RUSH UNIVERSITY MEDICAL CENTER</span>" in response.text
    assert '<span class="fact-period">2017\u20132021</span>' in response.text
    assert "filed 2 LCAs for residents/fellows in FY2025 Q2" in response.text


def test_program_page_says_none_found_never_does_not_sponsor(client, catalog):
    response = client.get(reverse("catalog:program", args=[catalog["lonely"].pk]))
    assert "no H-1B filing found in one quarter of data (DOL FY2025 Q2)" in response.text
    assert "does not sponsor H-1B" not in response.text.replace(
        "does not mean the program does not sponsor H-1B", ""
    )


def test_hospital_page_shows_its_teaching_and_h1b_facts(client, catalog):
    response = client.get(reverse("catalog:institution", args=[catalog["rush"].pk]))
    facts = {fact.label: fact for fact in response.context["sheet"].facts}
    assert facts["Teaching intensity"].value.startswith("1.07 residents per bed (2021)")
    assert (
        facts["H-1B evidence"].scope_label
        == "Rush Medical Group and Rush University Medical Center"
    )
    assert "FY2025 Q2" in response.text


def test_a_sponsor_gets_filings_under_the_same_distinctive_name_in_its_state(tmp_path):
    from tests.catalog.test_hospital_data_import import lca

    nrmp = make_source(key="nrmp-institutions", name="NRMP (test)")
    mayo_mn = make_institution(
        "Mayo Clinic School of Grad Med Educ",
        nrmp_code="1328",
        region="MN",
        country="US",
        source=nrmp,
    )
    mayo_fl = make_institution(
        "Mayo Clinic School of Grad Med Educ",
        nrmp_code="1032",
        region="FL",
        country="US",
        source=nrmp,
    )
    rows = [
        lca(1, "CLINICAL RESIDENT", "MAYO CLINIC", "55905", 65444, state="MN", city="Rochester"),
        lca(2, "CLINICAL RESIDENT", "MAYO CLINIC", "55905", 95708, state="MN", city="Rochester"),
        # Names that are only places say nothing about which employer.
        lca(3, "Resident", "University of Minnesota", "55455", 70000, state="MN"),
    ]
    run("dol-lca-trainees", write(tmp_path, "lca.csv", LCA_HEADER, rows))
    mn = make_program("Internal Medicine", institution=mayo_mn, source=nrmp)
    fl = make_program("Internal Medicine", institution=mayo_fl, source=nrmp)
    evidence = h1b_for_programs(fetch([mn.pk, fl.pk]))
    assert (evidence[mn.pk].filings, evidence[mn.pk].wage_min, evidence[mn.pk].wage_max) == (
        2,
        65444,
        95708,
    )
    assert evidence[mn.pk].matched_by == ["name + state of Mayo Clinic School of Grad Med Educ"]
    assert not evidence[fl.pk].found  # the same name in another state is another employer
