"""Playwright with the system's Chromium (browsers cannot be downloaded here)."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

CHROMIUM = "/usr/bin/chromium"
# A shared 2-core machine can be slow to answer the first request of a page; wait longer than
# Playwright's 5 s default before calling an expectation failed.
expect.set_options(timeout=15_000)
# Screenshots go under test-results/ (git-ignored); SCREENSHOT_DIR puts them elsewhere, e.g. when
# another pytest-playwright run would empty test-results/ as it starts.
SCREENSHOTS = Path(
    os.environ.get("SCREENSHOT_DIR")
    or Path(__file__).resolve().parents[2] / "test-results" / "browser"
)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def context(context):
    """Fail a test whose pages broke the Content-Security-Policy (Chromium logs each refusal)."""
    violations = []

    def record(message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            violations.append(f"{message.location.get('url', '?')}: {message.text}")

    context.on("console", record)
    yield context
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def assert_accessible():
    """Run axe-core on the page; fail on any violation of serious or critical impact."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page, label: str) -> None:
        # A settled page: no htmx request in flight and no loading indicator mid-fade (axe
        # measured a fading "Searching…" at a blended colour and failed its contrast: CI, once).
        page.wait_for_function(
            """() => !document.querySelector('.htmx-request') && Array.from(
                document.querySelectorAll('.htmx-indicator')).every(
                (element) => ['0', '1'].includes(getComputedStyle(element).opacity))"""
        )
        results = axe.run(page)
        bad = [
            f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(node["target"][0] for node in v["nodes"][:3])
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert not bad, f"axe-core on {label}:\n" + "\n".join(bad)

    return check
