"""A risk row removed while someone edits it (issue 12): the editor saves as you type, so a
co-editor removing a row meets the next save. That save is answered 410 with a clear message (the
editor keeps the text in the row); without JavaScript a page shows what was typed. A row removed
twice moves the rows after it up once; and a real removal and save at once never fail."""

from __future__ import annotations

from unittest import mock

import pytest

from hms.core.errors import RecordGone
from hms.core.models import AuditEvent
from hms.core.tests.races import race
from hms.measures.models import Measure
from hms.risk import services
from hms.risk.models import RiskRow
from hms.risk.tests.test_views import JSON, add, login, row_post

GONE = "Someone else deleted this record while you were working on it"
DELETE = services.delete_row  # the service itself, also while a test replaces it


def removed_first(cast, call):
    """The service, with the row removed by someone else just before it runs: after the view's
    access check, before the write."""
    def run(**kwargs):
        DELETE(actor=cast.leader, row=kwargs["row"])
        return call(**kwargs)
    return run


@pytest.mark.django_db
def test_a_cell_saved_into_a_row_removed_meanwhile_is_answered_gone(cast, lab):
    row = add(cast, lab)
    with mock.patch.object(services, "update_row", removed_first(cast, services.update_row)):
        response = login(cast.safety_rep).post(f"/risk/rows/{row.pk}/",
                                               row_post(row, cause="Typed cause"), **JSON)
    assert response.status_code == 410
    assert response.json()["message"].startswith(GONE)
    assert not RiskRow.objects.exists()
    assert not AuditEvent.objects.filter(action="update_row").exists()


@pytest.mark.django_db
def test_without_javascript_the_page_shows_the_message_and_what_was_typed(cast, lab):
    row = add(cast, lab)
    with mock.patch.object(services, "update_row", removed_first(cast, services.update_row)):
        response = login(cast.safety_rep).post(f"/risk/rows/{row.pk}/",
                                               row_post(row, cause="Typed cause", probability=3))
    assert response.status_code == 410
    page = response.content.decode()
    assert GONE in page and "Typed cause" in page and "Spill" in page
    assert f"/risk/{lab.pk}/" in page


@pytest.mark.django_db
def test_a_row_removed_twice_moves_the_rows_after_it_up_once(cast, lab):
    first, second, third = (add(cast, lab, unwanted_event=name) for name in ("A", "B", "C"))
    loaded = RiskRow.objects.select_related("assessment").get(pk=second.pk)  # at position 2
    services.delete_row(actor=cast.leader, row=first)  # the second row moves to position 1
    services.delete_row(actor=cast.safety_rep, row=loaded)
    third.refresh_from_db()
    assert third.position == 1
    with pytest.raises(RecordGone):
        services.delete_row(actor=cast.leader, row=loaded)
    third.refresh_from_db()
    assert third.position == 1
    assert AuditEvent.objects.filter(action="delete_row").count() == 2


@pytest.mark.django_db
def test_removing_a_row_removed_meanwhile_says_so(cast, lab):
    row = add(cast, lab)
    with mock.patch.object(services, "delete_row", removed_first(cast, services.delete_row)):
        response = login(cast.safety_rep).post(f"/risk/rows/{row.pk}/delete/", **JSON)
    assert response.status_code == 410
    assert response.json()["message"] == "Someone else removed this row already."


@pytest.mark.django_db
def test_a_measure_for_a_row_removed_meanwhile_keeps_the_form(cast, lab):
    row = add(cast, lab)
    with mock.patch.object(services, "add_row_measure",
                           removed_first(cast, services.add_row_measure)):
        response = login(cast.leader).post(f"/risk/rows/{row.pk}/measure/", {
            "title": "Typed measure", "priority": 2})
    assert response.status_code == 200
    page = response.content.decode()
    assert GONE in page and "Typed measure" in page
    assert not Measure.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_removal_and_a_save_at_once_never_fail(cast, lab):
    for _attempt in range(10):
        row = add(cast, lab)
        loaded = RiskRow.objects.select_related("assessment__matrix").get(pk=row.pk)
        unexpected = race(
            lambda row=row: services.delete_row(actor=cast.leader, row=row),
            lambda loaded=loaded: services.update_row(actor=cast.safety_rep, row=loaded,
                                                      data={"cause": "Typed"}, version=1))
        assert unexpected == []
        assert not RiskRow.objects.filter(pk=row.pk).exists()
