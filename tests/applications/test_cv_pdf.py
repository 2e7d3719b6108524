"""The CV PDF: a real PDF whose first page, rendered to PNG, shows the CV (not a blank page)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from medmatch.applications.cv_pdf import render_cv_pdf
from medmatch.applications.models import TailoredCV
from tests.applications.cv_factories import make_cv

pytestmark = pytest.mark.django_db


def _page_one_png(pdf: bytes, tmp_path) -> bytes:
    path = tmp_path / "cv.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    (png,) = tmp_path.glob("page*.png")
    return png.read_bytes()


def _ink_fraction(png: bytes) -> float:
    from io import BytesIO

    from PIL import Image

    image = Image.open(BytesIO(png)).convert("L")
    histogram = image.histogram()
    return sum(histogram[:200]) / sum(histogram)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_it_renders_a_cv_whose_first_page_is_not_blank(alice, tmp_path):
    alice.first_name, alice.last_name = "Alice", "Moreno"
    alice.save()
    make_cv(alice)
    pdf = render_cv_pdf(student=alice)
    assert pdf.startswith(b"%PDF")
    png = _page_one_png(pdf, tmp_path)
    assert png.startswith(b"\x89PNG")
    assert 0.01 < _ink_fraction(png) < 0.5
    if keep := os.environ.get("CV_PNG"):  # to look at it: CV_PNG=/tmp/cv.png pytest ...
        Path(keep).write_bytes(png)


def test_it_renders_the_tailored_cv_without_saving_a_choice(alice, alice_application):
    make_cv(alice)
    pdf = render_cv_pdf(student=alice, application=alice_application)
    assert pdf.startswith(b"%PDF")
    assert not TailoredCV.objects.exists()


def test_it_renders_an_empty_cv(alice):
    assert render_cv_pdf(student=alice).startswith(b"%PDF")


def _pdf_text(pdf: bytes) -> str:
    from io import BytesIO

    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def test_it_heads_the_cv_with_the_real_name_and_contact_block(alice):
    alice.full_name = "Kim Min-jun"
    alice.phone = "+82 10 5555 0100"
    alice.postal_address = "12 Sejong-daero\nSeoul 04524"
    alice.licensing_exams = "usmle"
    alice.licensing_exam_status = "Step 1 Pass (2024)"
    alice.ecfmg_status = "in_progress"
    alice.save()
    make_cv(alice)
    text = _pdf_text(render_cv_pdf(student=alice))
    assert "Kim Min-jun" in text
    assert "alice" not in text.replace("alice@example.org", "")
    for part in (
        "+82 10 5555 0100",
        "Seoul 04524",
        "USMLE: Step 1 Pass (2024)",
        "ECFMG: Requirements in progress",
    ):
        assert part in text


def test_it_falls_back_to_the_username_on_a_cv_without_a_name(alice):
    assert "alice" in _pdf_text(render_cv_pdf(student=alice))


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_a_name_in_chinese_japanese_or_korean_is_drawn_with_a_font_that_has_it(alice, tmp_path):
    """Issue 12: a CJK name came out as empty boxes (DejaVu has no CJK glyphs). `make run` /
    `make test` install Noto CJK with the PDF packages, and Pango falls back to it per glyph."""
    alice.full_name = "王小明 (Wang Xiaoming) 김민준 山田"
    alice.save()
    make_cv(alice)
    path = tmp_path / "cv.pdf"
    path.write_bytes(render_cv_pdf(student=alice))
    fonts = subprocess.run(
        ["pdffonts", str(path)], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    assert "CJK" in fonts, fonts
