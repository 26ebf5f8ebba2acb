"""What the browser journeys share: signing in without the form, and the checks every page gets."""

from __future__ import annotations

import functools
from typing import Any

PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
BLOCKING_IMPACTS = {"serious", "critical"}
# Rules below "serious" that still block: two landmarks of one name cannot be told apart (issue 14).
BLOCKING_RULES = {"landmark-unique"}
# Every id an aria reference names, missing from the page: [element, attribute, id].
DANGLING_REFERENCES_JS = """() => {
  const found = [];
  for (const attribute of ["aria-describedby", "aria-labelledby", "aria-controls"]) {
    for (const el of document.querySelectorAll(`[${attribute}]`)) {
      for (const id of el.getAttribute(attribute).split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) found.push([el.id || el.name || el.tagName, attribute, id]);
      }
    }
  }
  return found;
}"""
PASSWORD = "pw"  # the cast's password (root conftest)


def sign_in_with_cookie(context: Any, live_server: Any, user: Any) -> None:
    """A signed-in session without the login form (the login journey covers the form itself)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session,
                          "url": live_server.url}])


def sign_in(page: Any, username: str, password: str = PASSWORD) -> None:
    """Sign in through the real login form (whatever language it is in)."""
    if "/accounts/login/" not in page.url:
        page.goto("/accounts/login/")
    page.locator("#id_login").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("form[action='/accounts/login/'] button[type=submit]").click()


@functools.cache
def _axe() -> Any:
    """One Axe per worker: it reads axe.min.js once."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def check_references(page: Any) -> None:
    """Every id named by an aria-describedby, aria-labelledby or aria-controls is on the page (a
    help text or error linked to a missing id is never read out)."""
    dangling = page.evaluate(DANGLING_REFERENCES_JS)
    assert not dangling, f"aria references to missing ids on {page.url}: {dangling}"


def check_a11y(page: Any) -> None:
    """axe-core on the page as it is now: no serious or critical violations, no two landmarks of
    one name; and every aria reference names an element that exists."""
    check_references(page)
    results = _axe().run(page)
    blocking = [v for v in results.response["violations"]
                if v.get("impact") in BLOCKING_IMPACTS or v["id"] in BLOCKING_RULES]
    report = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} → "
        + ", ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in blocking
    )
    assert not blocking, f"axe found serious/critical problems on {page.url}:\n{report}"


def check_phone(page: Any, *visible: Any) -> None:
    """The current page at 375×800: no sideways scrolling, and the given controls visible and
    inside the screen's width. The viewport is left at phone size."""
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"{page.url} is {width}px wide on a 375px phone"
    for locator in visible:
        locator.scroll_into_view_if_needed()
        assert locator.is_visible(), f"{locator} is not visible on a phone at {page.url}"
        box = locator.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1, (
            f"{locator} sticks out of the phone's screen at {page.url}: {box}")


def nb(text: str, plural: str | None = None, n: int = 1) -> str:
    """The bokmål translation of an English source string, as the pages show it."""
    from django.utils import translation

    with translation.override("nb"):
        return translation.ngettext(text, plural, n) if plural else translation.gettext(text)
