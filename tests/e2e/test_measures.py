"""The HSE action plan: a measure's whole life, filtering, who may see it, and safe output."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import check_a11y, nb

pytestmark = pytest.mark.browser

TITLE = "Replace the fume hood filter"


def make_measure(cast, **fields):
    from hms.measures.models import Measure

    values = {"org_unit": cast.unit_a, "title": "Fix the fume hood", "responsible": cast.employee,
              "created_by": cast.leader, **fields}
    return Measure.objects.create(**values)


def transition_button(page, to):
    form = page.locator("form.transition").filter(has=page.locator(f"input[name=to][value={to}]"))
    return form.get_by_role("button")


def test_the_leader_takes_a_measure_from_new_to_verified(new_context, cast, live_server):
    from hms.measures.models import Measure

    page = new_context(cast.leader).new_page()
    page.goto(f"/measures/units/{cast.unit_a.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Department A")
    check_a11y(page)

    page.get_by_role("link", name=nb("New measure"), exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/measures/units/{cast.unit_a.pk}/new/")
    check_a11y(page)
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_description").fill("The filter is clogged.")
    page.locator("#id_responsible").select_option(label="Employee Tester")
    page.locator("#id_deadline").fill("2030-06-30")
    page.locator("#id_priority").select_option("3")
    page.locator("#id_cost_estimate").fill("12000")
    page.get_by_role("button", name=nb("Save"), exact=True).click()

    expect(page).to_have_url(re.compile(r"/measures/\d+/$"))
    measure = Measure.objects.get(title=TITLE)
    expect(page).to_have_url(f"{live_server.url}/measures/{measure.pk}/")
    expect(page.get_by_role("status")).to_contain_text(nb("The measure was added to the action plan."))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    details = page.get_by_role("region", name=nb("Details"))
    for shown in ("Department A", "Employee Tester", "30.06.2030", nb("High"), re.compile(r"12\s?000"),
                  "The filter is clogged."):
        expect(details).to_contain_text(shown)
    expect(page.locator("main .status")).to_have_class(re.compile(r"\bstatus-open\b"))
    check_a11y(page)

    details.get_by_role("link", name=nb("Edit"), exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/measures/{measure.pk}/edit/")
    expect(page.locator("#id_title")).to_have_value(TITLE)
    check_a11y(page)
    page.locator("#id_title").fill(f"{TITLE} and the pre-filter")
    page.locator("#id_cost_estimate").fill("15000")
    page.get_by_role("button", name=nb("Save"), exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/measures/{measure.pk}/")
    expect(page.get_by_role("status")).to_contain_text(nb("The measure was saved."))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{TITLE} and the pre-filter")
    expect(details).to_contain_text(re.compile(r"15\s?000"))

    for to, label in (("in_progress", "In progress"), ("done", "Done")):
        transition_button(page, to).click()
        expect(page.get_by_role("status")).to_contain_text(
            nb("The status is now “%(status)s”.") % {"status": nb(label)})
        expect(page.locator("main .status")).to_have_class(re.compile(rf"\bstatus-{to}\b"))
        expect(page.locator("main .status")).to_have_text(nb(label))
        check_a11y(page)

    page.get_by_label(nb("Effect check: did the measure work?")).fill("Airflow measured: 0.5 m/s, fine.")
    transition_button(page, "verified").click()
    expect(page.locator("main .status")).to_have_text(nb("Verified (effect checked)"))
    expect(details).to_contain_text("Airflow measured: 0.5 m/s, fine.")
    expect(page.get_by_role("region", name=nb("Change status"))).to_have_count(0)

    history = page.locator("details.history")
    history.locator("summary").click()
    moved = [nb("Status changed to %(status)s") % {"status": nb(label)}
             for label in ("Verified (effect checked)", "Done", "In progress")]
    expect(history.locator("li > p strong")).to_have_text([*moved, nb("Changed"), nb("Created")])
    update = history.locator("li").nth(3)
    expect(update).to_contain_text(TITLE)
    expect(update).to_contain_text(f"{TITLE} and the pre-filter")
    check_a11y(page)

    measure.refresh_from_db()
    assert (measure.status, measure.effect_note, measure.cost_estimate) == (
        "verified", "Airflow measured: 0.5 m/s, fine.", 15000)
    assert measure.done_date is not None


def test_filtering_the_plan_by_status_updates_only_the_table(new_context, cast, live_server):
    make_measure(cast, title="Open one", deadline="2030-01-01")
    make_measure(cast, title="Working one", status="in_progress", deadline="2030-02-01")
    make_measure(cast, title="Finished one", status="done", deadline="2030-03-01",
                 org_unit=cast.section_a1)
    # The coordinator's role covers the faculty's subtree, so Section A1's measure is in the plan.
    page = new_context(cast.coordinator).new_page()
    page.goto(f"/measures/units/{cast.unit_a.pk}/")
    rows = page.locator("#plan-table tbody tr")
    expect(rows).to_have_count(3)
    page.evaluate("window.stillTheSamePage = true")

    with page.expect_response(re.compile(r"status=in_progress")) as answer:
        page.locator("input[name=status][value=in_progress]").check()
    assert answer.value.request.headers.get("hx-request") == "true"
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Working one")
    expect(page.locator("#plan-table")).to_contain_text(nb("%(n)s measure", "%(n)s measures", 1) % {"n": 1})
    expect(page).to_have_url(re.compile(r"status=in_progress"))

    with page.expect_response(re.compile(r"status=done")):
        page.locator("input[name=status][value=done]").check()
    expect(rows).to_have_count(2)
    with page.expect_response(re.compile(r"/measures/units/")):
        page.locator("input[name=status][value=in_progress]").uncheck()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Finished one")
    expect(rows.first).to_contain_text("Section A1")
    assert page.evaluate("window.stillTheSamePage") is True, "the whole page was reloaded"
    assert page.locator("h1").count() == 1, "the fragment brought a second page shell"
    check_a11y(page)

    # The pushed address is a real page: loading it shows the same filter and rows.
    page.reload()
    expect(page.locator("input[name=status][value=done]")).to_be_checked()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Finished one")


def test_an_outsider_neither_sees_nor_reaches_the_measure(new_context, cast):
    assert nb("Not found") != "Not found", "the not-found page has no bokmål text"
    secret = make_measure(cast, title="Secret measure of A")
    page = new_context(cast.outsider).new_page()

    for url in (f"/measures/{secret.pk}/", f"/measures/{secret.pk}/edit/",
                f"/measures/units/{cast.unit_a.pk}/"):
        response = page.goto(url)
        assert response.status == 404, url
        expect(page.get_by_role("heading", level=1)).to_have_text(nb("Not found"))
        expect(page.locator("body")).not_to_contain_text("Secret measure of A")
    check_a11y(page)

    for url in ("/", "/measures/mine/", "/measures/mine/?show=all",
                f"/measures/units/{cast.unit_b.pk}/", f"/measures/units/{cast.unit_b.pk}/?q=Secret"):
        response = page.goto(url)
        assert response.status == 200, url
        expect(page.locator("main")).not_to_contain_text("Secret measure of A")
    page.goto(f"/org/units/{cast.unit_a.pk}/")
    expect(page.get_by_role("link", name=nb("HSE action plan"))).to_have_count(0)


def test_markup_in_a_title_is_shown_as_text(new_context, cast):
    from hms.measures.models import Measure

    markup = '<script>alert(1)</script><b>bold</b><img src=x onerror="alert(2)">'
    page = new_context(cast.leader).new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"/measures/units/{cast.unit_a.pk}/new/")
    page.locator("#id_title").fill(markup)
    page.locator("#id_description").fill('<a href="javascript:alert(3)">click</a>')
    page.locator("#id_responsible").select_option(label="Leader Tester")
    page.get_by_role("button", name=nb("Save"), exact=True).click()

    expect(page).to_have_url(re.compile(r"/measures/\d+/$"))
    measure = Measure.objects.get(title=markup)
    assert page.url.endswith(f"/measures/{measure.pk}/")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(markup)
    assert page.title().startswith(markup)
    expect(page.locator(".prose")).to_have_text('<a href="javascript:alert(3)">click</a>')
    check_a11y(page)

    for url in (f"/measures/units/{cast.unit_a.pk}/", "/measures/mine/", "/"):
        page.goto(url)
        expect(page.locator("main").get_by_role("link", name=markup)).to_be_visible()

    assert page.locator("main b, main img, main script, main a[href^=javascript]").count() == 0
    assert dialogs == []
