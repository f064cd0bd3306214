"""Screenshots of the main pages for the README's tour (`make screenshots`).

Starts the site on the demo data in a throwaway SQLite file (migrate, load_demo,
runserver on a free port, as `make run` does but without the debug toolbar), signs in
through the log-in form as the demo patient, doctor and moderator (the moderator with
the two-factor code of the README's public demo secret), and takes a viewport-sized PNG
of each page at 390x844 (phone) and 1366x900 (desktop) with Debian's Chromium, into
docs/screenshots/<page>-<phone|desktop>.png. Viewport only, at a device scale of 1, so
the files stay small.

    .venv/bin/python scripts/screenshots.py [--only home,ask] [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import base64
import hmac
import os
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
VIEWPORTS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1366, "height": 900}},
}
PASSWORD = "demo-pass-2026"  # every demo account's (README, "Roles and demo accounts")
MODERATOR_TOTP_SECRET = "NVC4KYJCQ6W7P6XGON67LJD2A2KIDVOV"  # public demo secret (README)
ACCOUNTS = {
    "patient": "patient@example.com",
    "doctor": "doctor@example.com",
    "moderator": "moderator@example.com",
}


def totp(secret: str) -> str:
    """The current RFC 6238 code (the README's recipe)."""
    key = base64.b32decode(secret)
    digest = hmac.new(key, struct.pack(">Q", int(time.time() // 30)), "sha1").digest()
    offset = digest[-1] & 0x0F
    value = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_environment(folder: Path) -> dict[str, str]:
    env = {
        key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(
        DJANGO_DEBUG="1",
        DJANGO_DEBUG_TOOLBAR="0",
        DJANGO_LOG_FORMAT="text",
        DJANGO_LANGUAGE_CODE="en",
        SQLITE_PATH=str(folder / "db.sqlite3"),
        EMAIL_URL=f"file://{folder / 'outbox'}",
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def pages(env: dict[str, str]) -> list[tuple[str, str, str | None]]:
    """(name, path, who) for each page of the tour, picked from the demo data."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
    import django

    django.setup()
    from django.db.models import Count
    from django.urls import reverse

    from forum.models import DoctorProfile
    from questions.models import Question

    # The Q&A page with the most parts to show: an article, then the most replies.
    question = (
        Question.objects.published()
        .filter(language="en")
        .annotate(
            article_count=Count("articles", distinct=True),
            replies_count=Count("replies", distinct=True),
        )
        .order_by("-article_count", "-replies_count", "pk")
        .first()
    )
    doctor = DoctorProfile.objects.get(user__email=ACCOUNTS["doctor"])
    return [
        ("home", reverse("forum:home"), None),
        ("question", question.get_absolute_url(), None),
        ("search", reverse("forum:search") + "?q=headache", None),
        ("specialty", question.specialty.get_absolute_url(), None),
        ("doctor-profile", doctor.get_absolute_url(), None),
        ("ask", reverse("questions:ask"), "patient"),
        ("my-questions", reverse("questions:mine"), "patient"),
        ("doctor-dashboard", reverse("answers:dashboard"), "doctor"),
        ("moderation", reverse("answers:moderation"), "moderator"),
    ]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.5)


def log_in(page, who: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", ACCOUNTS[who])
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    if "/2fa/" in page.url or page.locator("input[name=code]").count():
        page.fill("input[name=code]", totp(MODERATOR_TOTP_SECRET))
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()
    if "/accounts/login/" in page.url:
        raise SystemExit(f"could not log in as {who}: still at {page.url}")


def shoot(base_url: str, tour: list[tuple[str, str, str | None]], out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for viewport, options in VIEWPORTS.items():
            contexts = {}
            for name, path, who in tour:
                if who not in contexts:
                    context = browser.new_context(
                        base_url=base_url, device_scale_factor=1, **options
                    )
                    context.set_default_timeout(20_000)
                    if who:
                        log_in(context.new_page(), who)
                    contexts[who] = context
                page = contexts[who].new_page()
                response = page.goto(path)
                if response is None or response.status != 200:
                    raise SystemExit(
                        f"{path} as {who or 'anonymous'}: {response and response.status}"
                    )
                page.wait_for_load_state("networkidle")
                file = out / f"{name}-{viewport}.png"
                page.screenshot(path=file, full_page=False, animations="disabled", caret="hide")
                page.close()
                written.append(file)
                print(f"{file.relative_to(ROOT)}  {file.stat().st_size // 1024} KB")
            for context in contexts.values():
                context.close()
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--only", default="", help="comma-separated page names")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="screenshots-") as folder:
        env = site_environment(Path(folder))
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo")
        tour = pages(env)
        if options.only:
            wanted = set(options.only.split(","))
            tour = [row for row in tour if row[0] in wanted]
        port = free_port()
        server = subprocess.Popen(
            [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base_url = f"http://127.0.0.1:{port}"
            wait_for(base_url + "/healthz")
            written = shoot(base_url, tour, options.out)
        finally:
            server.terminate()
            server.wait(timeout=20)
    total = sum(file.stat().st_size for file in written)
    print(f"{len(written)} screenshots, {total / 1_000_000:.2f} MB")


if __name__ == "__main__":
    main()
