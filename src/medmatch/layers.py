"""The layers of medmatch, lowest first: a module may import its own layer and the layers below
it, never one above — not inside a function, not through ``import_module("medmatch.…")``.

``tests/test_layers.py`` reads this list and walks every module (docs/architecture.md explains
the order). When a lower app must show something a higher app owns, the lower app offers an
extension point that the higher app fills in its ``AppConfig.ready()``.

Plain data, no Django: the test and the docs read it without setting Django up.
"""

# Each entry is one layer: the top-level names under ``src/medmatch`` (packages, or modules
# without ``.py``) that belong to it. Names in one layer may import each other.
LAYERS: tuple[tuple[str, ...], ...] = (
    # Engines: pure Python, no Django (tests/test_pure_core.py), plain data in and out.
    ("fit", "matching", "writing"),
    # Ground floor: small helpers every app may use (and this list).
    ("lib", "layers"),
    # The public catalog, then what the public adds to it.
    ("catalog",),
    ("contributions",),
    # The student: account, goals, research (shortlist, contacts, reviews, questions).
    ("accounts",),
    ("goals",),
    ("research",),
    # Applying: applications (board, CV, statements), letters, interviews.
    ("applications",),
    ("letters",),
    ("interviews",),
    # The program side: programs take applications, review them, schedule interviews.
    ("workspace",),
    # The match: the practice match now, the match cycles later.
    ("cycles",),
    # The JSON API: reads and writes through every app's access helpers and services.
    ("api",),
    # Faces: the command line, the web entry points, settings, the project-level schedule.
    (
        "cli",
        "cli_errors",
        "serve",
        "views",
        "urls",
        "warmup",
        "wsgi",
        "settings",
        "local_settings",
        "tasks",
        "cli_worker",
    ),
)


def layer_of(name: str) -> int | None:
    """The position of a top-level name in ``LAYERS`` (0 = the engines), or None if unplaced."""
    for position, names in enumerate(LAYERS):
        if name in names:
            return position
    return None
