"""The HSE round walked on a phone: every answer is saved as it is given; a reload in the middle of
a save and a dropped connection lose nothing (the page says so and sends the answers when the
connection is back); two people on one checkpoint choose what to keep; photos and free findings;
phone width and accessibility.

Elements are found by id, name and value; texts are compared with the page's own data attributes,
so the journeys hold whatever the bokmål catalogue says."""

from __future__ import annotations

import io
import re
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import PHONE, check_a11y, check_phone

pytestmark = pytest.mark.browser

ANSWER_URL = re.compile(r"/rounds/\d+/answers/\d+/$")
NOT_OK = {1: "Two bottles without labels", 4: "Eyewash not checked since March", 8: "Gas cylinder loose"}


def lab_round(cast):
    """A round of the lab area planned by the leader with the safety rep, on the laboratory
    checklist (loaded again: a browser test's database is emptied after each test)."""
    import datetime as dt

    from hms.rounds import services
    from hms.rounds.checklists import load_templates
    from hms.rounds.models import ChecklistItem, ChecklistTemplate

    load_templates(ChecklistTemplate, ChecklistItem)
    return services.plan_round(
        actor=cast.leader, org_unit=cast.unit_a,
        data={"safety_area": cast.area, "planned_on": dt.date.today() + dt.timedelta(days=1)},
        participants=[cast.safety_rep],
        templates=[ChecklistTemplate.objects.current().get(code="laboratory")])


def items_of(round_):
    return [item for template in round_.templates.all() for item in template.items.all()]


def wait_until(page, check, message, timeout=10.0):
    """Poll a Python-side condition (the database, a held request) while the page runs."""
    end = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < end, message
        page.wait_for_timeout(25)


def text(page, name):
    """A status text as the page has it (from the walk's data attributes, in the page's language)."""
    return page.locator("[data-walk]").get_attribute(f"data-{name}")


def status(page, item):
    return page.locator(f"#status-{item.pk}")


def answer(page, item, result, comment=""):
    form = page.locator(f"#item-{item.pk}")
    form.locator(f"input[name=result][value={result}]").check()
    if comment:
        form.locator("textarea[name=comment]").fill(comment)


def unsent(page):
    return page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('hms-walk:')).sort()")


def answers(round_):
    from hms.rounds.models import Answer

    return {a.item_id: (a.result, a.comment) for a in Answer.objects.filter(round=round_)}


def expected(item_index):
    if item_index in NOT_OK:
        return ("not_ok", NOT_OK[item_index])
    return ("na", "") if item_index == 11 else ("ok", "")


def photo_bytes():
    from PIL import Image

    out = io.BytesIO()
    image = Image.new("RGB", (64, 48), (30, 120, 200))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (63.0, 25.0, 0.0), 3: "E", 4: (10.0, 24.0, 0.0)}
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_the_safety_rep_walks_the_lab_round_on_a_phone_and_loses_nothing(new_context, cast):
    from hms.rounds.models import Finding, RoundPhoto

    round_ = lab_round(cast)
    items = items_of(round_)
    assert len(items) == 12
    context = new_context(cast.safety_rep, viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"/rounds/{round_.pk}/walk/")
    first = page.locator(f"#item-{items[0].pk}")
    check_phone(page, first.locator("input[name=result][value=ok]"),
                first.locator("input[name=result][value=not_ok]"),
                first.locator("input[name=result][value=na]"), first.locator("textarea[name=comment]"),
                page.locator("#id_title"), page.locator("#free-finding button[type=submit]"))
    check_a11y(page)
    expect(page.locator("#walk-total")).to_have_text("12")
    expect(page.locator("#walk-answered")).to_have_text("0")

    # The first five, one after the other: each is saved as it is given.
    for index in range(5):
        result, comment = expected(index)
        answer(page, items[index], result, comment)
        expect(status(page, items[index])).to_have_class(re.compile(r"\bsaved\b"))
        expect(status(page, items[index])).to_have_text(text(page, "saved"))
    wait_until(page, lambda: answers(round_) == {items[i].pk: expected(i) for i in range(5)},
               "the first five answers are not all in the database")
    expect(page.locator("#walk-answered")).to_have_text("5")
    # "Not OK" shows in words and with a marker, not by colour alone.
    expect(page.locator(f"#point-{items[1].pk}")).to_have_class(re.compile(r"\bis-not-ok\b"))
    expect(page.locator(f"#item-{items[1].pk} .walk-flag")).to_be_visible()
    expect(page.locator(f"#item-{items[0].pk} .walk-flag")).to_be_hidden()
    assert unsent(page) == []

    # A reload in the middle: the choice is on its way (held) and the comment not yet sent.
    held = []
    page.route(ANSWER_URL, lambda route: held.append(route))
    answer(page, items[5], "ok", "Fume hood label is from last year")
    wait_until(page, lambda: len(held) == 1, "the answer was not sent")
    page.reload()
    form = page.locator(f"#item-{items[5].pk}")
    expect(form.locator("input[name=result][value=ok]")).to_be_checked()
    expect(form.locator("textarea[name=comment]")).to_have_value("Fume hood label is from last year")
    expect(page.locator("#walk-state")).to_have_text(text(page, "restored"))
    wait_until(page, lambda: len(held) == 2, "the restored answer was not sent again")
    assert items[5].pk not in answers(round_), "nothing reached the server before the reload"
    held[1].continue_()
    expect(status(page, items[5])).to_have_class(re.compile(r"\bsaved\b"))
    expect(page.locator("#walk-state")).to_have_text(text(page, "all-saved"))
    page.unroute(ANSWER_URL)
    assert answers(round_)[items[5].pk] == ("ok", "Fume hood label is from last year")
    assert unsent(page) == []
    # Every answer given before the reload is back in the page.
    for index in range(5):
        result, comment = expected(index)
        form = page.locator(f"#item-{items[index].pk}")
        expect(form.locator(f"input[name=result][value={result}]")).to_be_checked()
        expect(form.locator("textarea[name=comment]")).to_have_value(comment)

    # Offline: three answers are kept on this device, the page says so, and they go out when the
    # connection is back.
    context.set_offline(True)
    for index in (6, 7, 8):
        answer(page, items[index], *expected(index))
        expect(status(page, items[index])).to_have_class(re.compile(r"\boffline\b"))
        expect(status(page, items[index])).to_have_text(text(page, "offline"))
    expect(page.locator("#walk-state")).to_have_text(f"{text(page, 'offline-count')} 3")
    assert len(unsent(page)) == 3
    page.wait_for_timeout(1200)  # the comment's own save (a second after typing) fails as well
    assert not {items[i].pk for i in (6, 7, 8)} & set(answers(round_)), "sent while offline?"
    expect(page.locator("#walk-answered")).to_have_text("9")

    context.set_offline(False)
    wait_until(page, lambda: all(answers(round_).get(items[i].pk) == expected(i) for i in (6, 7, 8)),
               "the answers kept offline were not sent when the connection came back", timeout=20)
    for index in (6, 7, 8):
        expect(status(page, items[index])).to_have_class(re.compile(r"\bsaved\b"))
    expect(page.locator("#walk-state")).to_have_text(text(page, "all-saved"))
    assert unsent(page) == []

    # The rest, the last one not relevant.
    for index in (9, 10, 11):
        answer(page, items[index], *expected(index))
        expect(status(page, items[index])).to_have_class(re.compile(r"\bsaved\b"))
    wait_until(page, lambda: answers(round_) == {
        item.pk: (expected(i) if i != 5 else ("ok", "Fume hood label is from last year"))
        for i, item in enumerate(items)}, "not every answer is in the database")
    expect(page.locator("#walk-answered")).to_have_text("12")
    findings = Finding.objects.filter(round=round_, answer__isnull=False)
    assert sorted(f.description for f in findings) == sorted(NOT_OK.values())

    # A reload shows the walk as it was left.
    page.reload()
    for index, item in enumerate(items):
        result, comment = expected(index) if index != 5 else ("ok", "Fume hood label is from last year")
        form = page.locator(f"#item-{item.pk}")
        expect(form.locator(f"input[name=result][value={result}]")).to_be_checked()
        expect(form.locator("textarea[name=comment]")).to_have_value(comment)
        marker = expect(page.locator(f"#point-{item.pk}"))
        if result == "not_ok":
            marker.to_have_class(re.compile(r"\bis-not-ok\b"))
        else:
            marker.not_to_have_class(re.compile(r"\bis-not-ok\b"))
    expect(page.locator("#walk-answered")).to_have_text("12")

    # A photo of a "not OK" and a free finding, at phone width.
    photo_input = page.locator(f"#photo-{items[1].pk}")
    check_phone(page, photo_input, page.locator(f"#point-{items[1].pk} form.walk-photo button"))
    photo_input.set_input_files({"name": "IMG_0001.jpg", "mimeType": "image/jpeg",
                                 "buffer": photo_bytes()})
    page.locator(f"#point-{items[1].pk} form.walk-photo button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/rounds/{round_.pk}/walk/#item-{items[1].pk}$"))
    stored = RoundPhoto.objects.get()
    assert stored.answer.item_id == items[1].pk
    expect(page.locator(f"#point-{items[1].pk} img")).to_have_attribute(
        "src", f"/rounds/photos/{stored.pk}/")
    page.locator("#id_title").fill("Blocked escape route by room 101")
    page.reload()  # what was typed into the finding stays on this device until it is sent
    expect(page.locator("#id_title")).to_have_value("Blocked escape route by room 101")
    page.locator("#id_description").fill("Boxes stacked in the corridor")
    page.locator("#free-finding button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/rounds/{round_.pk}/walk/#findings$"))
    free = Finding.objects.get(round=round_, answer=None)
    assert (free.title, free.description) == ("Blocked escape route by room 101",
                                              "Boxes stacked in the corridor")
    expect(page.locator(f"#finding-{free.pk}")).to_be_visible()
    expect(page.locator("#id_title")).to_have_value("")
    check_phone(page, page.locator(f"#finding-photo-{free.pk}"))
    check_a11y(page)
    expect(page.locator(f"a[href='/rounds/{round_.pk}/']").first).to_be_visible()


def test_two_people_on_one_checkpoint_choose_what_to_keep(new_context, cast):
    from hms.rounds.models import Answer

    round_ = lab_round(cast)
    first, second = items_of(round_)[:2]
    rep = new_context(cast.safety_rep, viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    leader = new_context(cast.leader, viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    rep.goto(f"/rounds/{round_.pk}/walk/")
    for item in (first, second):
        answer(rep, item, "ok")
        expect(status(rep, item)).to_have_class(re.compile(r"\bsaved\b"))
    leader.goto(f"/rounds/{round_.pk}/walk/")  # sees both answers at version 1

    for item, comment in ((first, "Not used in this lab"), (second, "Hood replaced")):
        answer(rep, item, "na", comment)
        expect(status(rep, item)).to_have_class(re.compile(r"\bsaved\b"))
    wait_until(leader, lambda: answers(round_) == {first.pk: ("na", "Not used in this lab"),
                                                   second.pk: ("na", "Hood replaced")},
               "the safety rep's second answers did not arrive")
    versions = dict(Answer.objects.filter(round=round_).values_list("item_id", "version"))

    # The leader's page still has version 1: refused, the other answer shown, nothing overwritten.
    with leader.expect_response(ANSWER_URL) as reply:
        leader.locator(f"#item-{first.pk} input[name=result][value=not_ok]").check()
    assert reply.value.status == 409
    panel = status(leader, first)
    expect(panel).to_have_class(re.compile(r"\bconflict\b"))
    expect(panel).to_contain_text(text(leader, "conflict"))
    expect(panel.locator("dd").nth(0)).to_have_text(text(leader, "result-na"))
    expect(panel.locator("dd").nth(1)).to_have_text("Not used in this lab")
    expect(panel.locator("dd").nth(2)).to_contain_text(str(cast.safety_rep))
    expect(panel.locator("button.keep-mine")).to_be_focused()
    expect(leader.locator(f"#item-{first.pk} input[name=result][value=not_ok]")).to_be_checked()
    check_a11y(leader)
    check_phone(leader, panel.locator("button.keep-mine"), panel.locator("button.take-theirs"))
    assert Answer.objects.get(round=round_, item=first).result == "na", "silently overwritten"

    # Keeping mine sends it again on the current version.
    with leader.expect_response(ANSWER_URL) as reply:
        panel.locator("button.keep-mine").click()
    assert reply.value.ok
    expect(panel).to_have_class(re.compile(r"\bsaved\b"))
    kept = Answer.objects.get(round=round_, item=first)
    assert (kept.result, kept.version, kept.answered_by) == ("not_ok", versions[first.pk] + 1,
                                                             cast.leader)

    # Taking theirs puts the other answer into the form and writes nothing.
    with leader.expect_response(ANSWER_URL) as reply:
        leader.locator(f"#item-{second.pk} textarea[name=comment]").fill("Sash sticks")
    assert reply.value.status == 409
    panel = status(leader, second)
    panel.locator("button.take-theirs").click()
    form = leader.locator(f"#item-{second.pk}")
    expect(form.locator("input[name=result][value=na]")).to_be_checked()
    expect(form.locator("textarea[name=comment]")).to_have_value("Hood replaced")
    expect(panel).to_have_text(text(leader, "taken"))
    taken = Answer.objects.get(round=round_, item=second)
    assert (taken.result, taken.comment, taken.version, taken.answered_by) == (
        "na", "Hood replaced", versions[second.pk], cast.safety_rep)
    assert unsent(leader) == []
    leader.reload()
    expect(leader.locator(f"#item-{second.pk} textarea[name=comment]")).to_have_value("Hood replaced")


def test_without_javascript_each_answer_is_a_form_that_returns_to_its_checkpoint(new_context, cast):
    round_ = lab_round(cast)
    items = items_of(round_)
    page = new_context(cast.safety_rep, viewport=PHONE, is_mobile=True, has_touch=True,
                       java_script_enabled=False).new_page()
    page.goto(f"/rounds/{round_.pk}/walk/")
    form = page.locator(f"#item-{items[2].pk}")
    form.locator("input[name=result][value=not_ok]").check()
    form.locator("textarea[name=comment]").fill("Waste container overfull")
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/rounds/{round_.pk}/walk/#item-{items[2].pk}$"))
    assert answers(round_) == {items[2].pk: ("not_ok", "Waste container overfull")}
    expect(page.locator(f"#point-{items[2].pk}")).to_have_class(re.compile(r"\bis-not-ok\b"))
    expect(page.locator(f"#photo-{items[2].pk}")).to_be_visible()
    check_phone(page, form.locator("button[type=submit]"))
