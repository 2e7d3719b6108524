"""The search text's fast paths give the words the plain code gives: the website host read by a
regex where urlsplit would read the same, and the Wikidata rows' texts joined from the parts they
have."""

from urllib.parse import urlsplit

import pytest

from medmatch.catalog.importers.wikidata import search_texts
from medmatch.catalog.models import Institution
from medmatch.catalog.search_text import _HOST_FILLER, institution_search_text, website_words


def _urlsplit_words(url: str) -> str:
    host = urlsplit(url).hostname or "" if url else ""
    return " ".join(label for label in host.split(".")[:-1] if label and label not in _HOST_FILLER)


@pytest.mark.parametrize(
    "url",
    [
        "",
        "http://www.aiims.edu/en/",
        "HTTPS://WWW.Example.ORG",
        "https://sub.hospital.co.uk?x=1",
        "https://hospital.fr#top",
        "http://choray.vn:81/",
        "https://user@hospital.de/",
        "https://jengresdahospital@yahoo.com",
        "https://:www.info@kabsadhospital.com",
        "http://мороздгкб.рф",
        "https://www.borromäus-hospital-leer.de/",
        "https://\u212aantonsspital.ch/",  # a Kelvin sign, not a K
        "http\u017f://hospital.org/",  # a long s, not an s
        " http://hospital.org/",
        "http://hos\tpital.org/",
        "http://hospital.org\n",
        "http://[::1]/",
        "ftp://hospital.org/",
        "http://",
    ],
)
def test_website_words_are_urlsplits(url):
    assert website_words(url) == _urlsplit_words(url)


def test_wikidata_search_texts_are_the_models():
    rows = {
        "Q1": {"name": "All India Institute of Medical Sciences", "kind": "international",
               "country": "IN", "country_name": "India", "website": "https://www.aiims.edu/",
               "latitude": 28.5666, "longitude": 77.2115},
        "Q2": {"name": "Open Sea Hospital", "kind": "international", "country": "",
               "country_name": "Unknown", "website": "", "latitude": 0.0, "longitude": -150.0},
        "Q3": {"name": "Hôpital Édouard-Herriot", "kind": "international", "country": "FR",
               "country_name": "France", "website": "http://www.chu-lyon.fr",
               "latitude": 45.7428, "longitude": 4.8807},
        "Q4": {"name": "Boston Medical Center", "kind": "", "country": "US",
               "country_name": "United States", "website": "https://www.bmc.org/",
               "latitude": 42.3349, "longitude": -71.0727},
        # Words the text has already (the name is the nearest city, the country its name).
        "Q5": {"name": "Lyon", "kind": "international", "country": "FR",
               "country_name": "France", "website": "https://www.lyon.fr/",
               "latitude": 45.7578, "longitude": 4.832},
        "Q6": {"name": "CANADA", "kind": "international", "country": "CA",
               "country_name": "Canada", "website": "", "latitude": 43.6532,
               "longitude": -79.3832},
    }  # fmt: skip
    expected = {
        qid: institution_search_text(Institution(wikidata_id=qid, **values))
        for qid, values in rows.items()
    }
    assert search_texts(rows) == expected
    assert "Delhi" in expected["Q1"] and "Lyon" in expected["Q3"]
