"""Retake the README's screenshots from a running demo (`./run`), signed in as `leader`.

    PORT=8031 HMS_DATA_DIR=/tmp/hms-shots ./run &
    .venv/bin/python scripts/screenshots.py http://127.0.0.1:8031
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def sign_in(page: Page, base: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_login", "leader")
    page.fill("#id_password", "demo")
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/")


def chemistry_urls(page: Page, base: str) -> dict[str, str]:
    page.goto(f"{base}/org/")
    unit = page.get_by_role("link", name="Institutt for kjemi", exact=True).get_attribute("href")
    page.goto(f"{base}/measures{unit.replace('/org', '')}")
    measure = page.locator("table.measures a").first.get_attribute("href")
    risk_list = f"/risk{unit.replace('/org', '')}"
    page.goto(f"{base}{risk_list}")
    hf = page.get_by_role("link", name="Arbeid med flussyre (HF) i lab 2-114").get_attribute("href")
    cases = f"/deviations{unit.replace('/org', '')}"
    page.goto(f"{base}{cases}")
    injury = page.get_by_role("link", name="Kutt i hånd ved glassbrudd").first.get_attribute("href")
    rounds = f"/rounds{unit.replace('/org', '')}"
    page.goto(f"{base}{rounds}")
    walked = page.locator("table.rounds tr:has(.status-conducted) a").first.get_attribute("href")
    units_path = unit.replace('/org', '')
    page.goto(f"{base}/meetings{units_path}")
    held = page.locator("#past-h ~ div tr:has(.status-held) a").first.get_attribute("href")
    coming = page.locator("#upcoming-h ~ div tr a").first.get_attribute("href")
    return {"unit": unit, "plan": f"/measures{unit.replace('/org', '')}", "measure": measure,
            "meetings": f"/meetings{units_path}", "meeting": held, "coming": coming,
            "goals": f"/governance{units_path}goals/", "register": f"/governance{units_path}delegations/",
            "gaps": f"/competence{units_path}", "health": f"/health{units_path}",
            "risk-list": risk_list, "risk-detail": hf,
            "heatmap": f"{risk_list}heatmap/", "cases": cases, "case": injury,
            "statistics": f"{cases}statistics/", "rounds": rounds, "round": walked,
            "points": f"/points{units_path}", "matrix": f"/points{units_path}matrix/"}


def shoot(base: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        desk = browser.new_context(viewport={"width": 1280, "height": 800}, locale="nb-NO")
        page = desk.new_page()
        page.goto(f"{base}/accounts/login/")
        page.screenshot(path=OUT / "login.png")
        sign_in(page, base)
        page.screenshot(path=OUT / "home.png")
        urls = chemistry_urls(page, base)
        for name, path, full in [("action-plan", urls["plan"], True),
                                 ("measure-detail", urls["measure"], False),
                                 ("org-tree", "/org/", False), ("unit", urls["unit"], True),
                                 ("risk-list", urls["risk-list"], False),
                                 ("risk-detail", urls["risk-detail"], True),
                                 ("risk-heatmap", urls["heatmap"], False),
                                 ("deviations", urls["cases"], False),
                                 ("deviation-detail", urls["case"], True),
                                 ("deviation-statistics", urls["statistics"], True),
                                 ("rounds", urls["rounds"], False),
                                 ("round-summary", f"{urls['round']}summary/", True),
                                 ("meetings", urls["meetings"], False),
                                 ("meeting-minutes", urls["meeting"], True),
                                 ("meeting-agenda", urls["coming"], True),
                                 ("goals", urls["goals"], True),
                                 ("delegations", urls["register"], False),
                                 ("training-gaps", urls["gaps"], False),
                                 ("health-service", urls["health"], False),
                                 ("points", urls["points"], False),
                                 ("points-matrix", urls["matrix"], False)]:
            page.goto(base + path)
            page.screenshot(path=OUT / f"{name}.png", full_page=full)
        phone = browser.new_context(viewport={"width": 375, "height": 800}, locale="nb-NO",
                                    is_mobile=True, has_touch=True, storage_state=desk.storage_state())
        page = phone.new_page()
        for name, path, full in [("action-plan-phone", urls["plan"], True),
                                 ("measure-detail-phone", urls["measure"], False),
                                 ("risk-detail-phone", urls["risk-detail"], False),
                                 ("report-phone", "/deviations/report/", True),
                                 ("round-walk-phone", f"{urls['round']}walk/", False),
                                 ("meeting-agenda-phone", urls["coming"], False),
                                 ("points-phone", urls["points"], False)]:
            page.goto(base + path)
            page.screenshot(path=OUT / f"{name}.png", full_page=full)
        browser.close()


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    if not re.match(r"^http://(127\.0\.0\.1|localhost)(:\d+)?$", target):
        sys.exit("Screenshots are taken from a local demo only.")
    shoot(target.rstrip("/"))
