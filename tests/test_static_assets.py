"""Static files must survive collectstatic's manifest storage, which production uses.

whitenoise's CompressedManifestStaticFilesStorage follows every ``sourceMappingURL`` comment and
fails collectstatic (so every page is a 500) when the named map is not shipped.
"""

import re
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "src" / "medmatch" / "static"
SOURCE_MAP = re.compile(r"[#@]\s*sourceMappingURL=([^\s*]+)")


def missing_source_maps(root: Path) -> list[str]:
    missing = []
    for path in sorted(root.rglob("*")):
        if path.suffix not in {".js", ".css", ".mjs"}:
            continue
        for name in SOURCE_MAP.findall(path.read_text(encoding="utf-8", errors="replace")):
            if not name.startswith("data:") and not (path.parent / name).exists():
                missing.append(f"{path.relative_to(root)} names {name}")
    return missing


def test_it_ships_every_source_map_a_static_file_names():
    assert missing_source_maps(STATIC) == []


def test_it_finds_a_source_map_that_is_not_shipped(tmp_path):
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "lib.min.js").write_text("x=1;\n//# sourceMappingURL=lib.min.js.map\n")
    (tmp_path / "vendor" / "ok.min.css").write_text("a{}\n/*# sourceMappingURL=ok.min.css.map */")
    (tmp_path / "vendor" / "ok.min.css.map").write_text("{}")
    assert missing_source_maps(tmp_path) == ["vendor/lib.min.js names lib.min.js.map"]


def test_it_keeps_htmx_from_injecting_a_style_block_the_policy_refuses():
    base = (STATIC.parent / "templates" / "base.html").read_text(encoding="utf-8")
    assert '"includeIndicatorStyles": false' in base
    css = (STATIC / "css" / "medmatch.css").read_text(encoding="utf-8")
    assert ".htmx-request .htmx-indicator" in css
