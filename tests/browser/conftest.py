"""Headless Chromium for the end-to-end tests, and axe-core to check each page (X-2).

Chromium is the system's (Debian's ``chromium`` package at ``/usr/bin/chromium``; override with
``CHROMIUM_PATH``); Playwright's own browser download is never used. axe-core is the copy bundled in
the ``axe-playwright-python`` wheel, so nothing is fetched at test time.
"""

from __future__ import annotations

import os
import re
import shutil
from importlib import resources
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.urls import clear_url_caches

from portal import messaging
from portal.accounts.roles import Role
from tests.factories import PersonFactory, ReferralFactory
from tests.queue_booking.conftest import department_open_today

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# WCAG 2.1 A and AA, as X-2 asks; best practices are reported but only these rules fail the test.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


def _chromium_path() -> str | None:
    path = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
    return path if Path(path).exists() else shutil.which("chromium")


@pytest.fixture(scope="session")
def chromium(django_db_setup):
    path = _chromium_path()
    if path is None:
        pytest.skip("Chromium is not installed (apt-get install chromium, or set CHROMIUM_PATH)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
    # Playwright's sync API keeps an event loop in this thread while the browser is open; the
    # test's own ORM calls (and the database flush after each test) are still plain synchronous
    # code, so Django's guard against ORM calls from async code is lifted for these tests.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(chromium):
    context = chromium.new_context(locale="en-GB", timezone_id="Asia/Almaty")
    page = context.new_page()
    page.set_default_timeout(15_000)
    # Anything the Content-Security-Policy refuses (a script, a style) is reported on the console.
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    yield page
    context.close()
    assert not refused, "the Content-Security-Policy refused something:\n" + "\n".join(refused)


@pytest.fixture(scope="session")
def axe_source() -> str:
    pytest.importorskip("axe_playwright_python", reason="axe-playwright-python is not installed")
    return (resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


@pytest.fixture
def axe_check(axe_source):
    """``axe_check(page)`` runs axe-core on the page and fails on serious or critical violations."""

    def check(page, *, label: str = "") -> list[dict]:
        # BROWSER_SCREENSHOTS=<folder> keeps a picture of every checked page (for review or CI artefacts).
        if folder := os.environ.get("BROWSER_SCREENSHOTS"):
            Path(folder).mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^a-z0-9]+", "-", (label or page.url).lower()).strip("-")
            page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            # Evaluated through the DevTools protocol, as axe-playwright-python does: an injected
            # inline <script> would be refused by the portal's Content-Security-Policy.
            page.evaluate(axe_source)
        results = page.evaluate(
            "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            AXE_TAGS,
        )
        blocking = [v for v in results["violations"] if v.get("impact") in BLOCKING_IMPACTS]
        report = "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']} -> "
            + "; ".join(
                ", ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"]) for n in v["nodes"][:5]
            )
            for v in blocking
        )
        assert not blocking, f"axe-core found serious or critical violations on {label or page.url}:\n{report}"
        return results["violations"]

    return check


@pytest.fixture
def sms(monkeypatch):
    """The SMS the portal sends, captured in-process: the live server runs in this process."""
    outbox: list[dict] = []

    def capture(*, recipient, template, context, dedupe_key, **options):
        outbox.append({"recipient": recipient, "template": template, "context": context})

    monkeypatch.setattr(messaging, "_sender", capture)
    return outbox


@pytest.fixture
def booking_world(settings):
    """A pilot region, a department with a published schedule, and a citizen with a referral who has
    not yet consented to the processing of personal data (Q-12: the booking page asks)."""
    # Russian without a prefix, as in production; see tests/queue_booking/test_pages.py on the cache.
    settings.LANGUAGE_CODE = "ru"
    settings.QUEUE_VIDEO_INSTRUCTION_URL = "https://video.example/how-to-book"
    clear_url_caches()
    for role in (Role.CITIZEN, Role.DEPARTMENT_STAFF):
        Group.objects.get_or_create(name=role)
    department = department_open_today()
    person = PersonFactory(registration_atu=department.atus.get())
    referral = ReferralFactory(person=person)
    yield {"person": person, "referral": referral, "department": department}
    clear_url_caches()
