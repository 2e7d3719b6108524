"""Where the generic-sentence advice comes from.

The seed article, "Prepare a Strong Application Package", says: avoid generic or common
statements; mention specific aspects of the program instead. Whether a sentence is generic is
decided by ``concreteness.py`` (what the sentence carries, not which phrases it uses; issue 13);
this module keeps the source shown with every ``generic`` flag.
"""

from __future__ import annotations

from medmatch.writing.patterns import Source

GENERIC_SOURCE = Source(
    label="medmatch guide: Prepare a Strong Application Package (avoid generic statements)",
    url="",
)
