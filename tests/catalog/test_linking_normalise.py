"""``normalise_name``'s shortcuts (accents dropped through a translate table, the saints' rule
only for names with a saint) give what the plain rules give, for any text."""

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from medmatch.catalog.importers import linking
from medmatch.catalog.importers.linking import normalise_name


def _plainly_normalised(name: str) -> str:
    """normalise_name as written before its shortcuts: every step for every name."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("\u2019", "'").replace("'", "").replace("&", " and ")
    text = linking._NON_WORD.sub(" ", text)
    for pattern, replacement in linking._PHRASES:
        text = pattern.sub(replacement, text)
    words = [linking._WORDS.get(word, word) for word in text.split()]
    words = [
        word[:-1]
        if word.endswith("s") and word[:-1] in linking._SAINTS and before == "saint"
        else word
        for before, word in zip(["", *words], words, strict=False)
    ]
    return " ".join(word for word in words if word)


_WORDLIKE = st.sampled_from(
    [
        *linking._WORDS,
        *linking._SAINTS,
        *("St", "Josephs", "ST.", "Ste", "Pete", "Good Sam", "S&W", "B I", "Kaiser Permanente"),
        *("Univ", "Hôpital", "Sainte-Justine", "O\u2019Bleness", "Á", "x"),
    ]
)
_NAMES = st.one_of(
    st.text(),
    st.lists(st.one_of(_WORDLIKE, st.text(max_size=3)), max_size=8).map(" ".join),
)


@settings(max_examples=500, deadline=None)
@given(_NAMES)
def test_a_name_is_normalised_as_the_plain_rules_normalise_it(name):
    assert normalise_name.__wrapped__(name) == _plainly_normalised(name)


@given(st.text())
def test_accents_are_dropped_as_unicodedata_says(text):
    decomposed = unicodedata.normalize("NFKD", text)
    assert decomposed.translate(linking._WITHOUT_ACCENTS) == "".join(
        c for c in decomposed if not unicodedata.combining(c)
    )


def test_names_are_normalised_as_before():
    assert normalise_name("Hôpital Sainte-Justine") == "hopital sainte justine"
    assert normalise_name("St. Joseph's Hosp & Med Ctr") == "saint joseph hospital medical center"
    assert normalise_name("USF Morsani GME-St Pete") == "usf morsani saint petersburg"
