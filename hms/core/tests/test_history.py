"""The audit history speaks the reader's language: actions as sentences, values by their field's
kind, records by name, at a fixed number of queries for a page of events."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from hms.accounts.models import User
from hms.core import audit, history
from hms.core.models import AuditEvent
from hms.measures import services
from hms.measures.models import Status

pytestmark = pytest.mark.django_db

HMS = Path(__file__).resolve().parents[2]


def edited_measure(cast):
    measure = services.create_measure(actor=cast.leader, org_unit=cast.unit_a, data={
        "title": "Guard rail", "responsible": cast.employee, "deadline": dt.date(2030, 1, 1)})
    measure = services.update_measure(actor=cast.leader, measure=measure, version=measure.version,
                                      data={"priority": 4, "deadline": dt.date(2027, 1, 15),
                                            "responsible": cast.safety_rep, "cost_estimate": Decimal(18000)})
    return services.transition_measure(actor=cast.leader, measure=measure, to=Status.IN_PROGRESS,
                                       version=measure.version)


def page_as(user, url: str, language: str) -> str:
    User.objects.filter(pk=user.pk).update(language=language)
    client = Client()
    client.force_login(user)
    return client.get(url).content.decode()


def test_the_history_shows_labels_names_and_local_dates_in_bokmal(cast):
    measure = edited_measure(cast)
    page = page_as(cast.leader, f"/measures/{measure.pk}/", "nb")
    assert "Status endret til Under arbeid" in page and "status:in_progress" not in page
    assert "Kritisk" in page and "15.01.2027" in page and "2027-01-15" not in page
    assert cast.safety_rep.get_full_name() in page and cast.employee.get_full_name() in page
    assert "18\xa0000" in page and "18000.00" not in page
    assert "Opprettet" in page and "Endret" in page


def test_the_history_shows_labels_names_and_local_dates_in_english(cast):
    measure = edited_measure(cast)
    page = page_as(cast.leader, f"/measures/{measure.pk}/", "en")
    assert "Status changed to In progress" in page and "status:in_progress" not in page
    assert "Critical" in page and "2027-01-15" not in page and "01/15/2027" in page
    assert "Created" in page and "Changed" in page and "Priority" in page


def test_a_record_is_named_in_the_readers_language(cast):
    from hms.deviations.models import DeviationType
    from hms.deviations.tests.factories import report

    case = report(cast)
    old, new = DeviationType.objects.exclude(pk=case.deviation_type_id).order_by("pk")[:2]
    event = audit.record(actor=None, action="update", obj=case,
                         before={"deviation_type": old.pk}, after={"deviation_type": new.pk})
    for language, name in (("nb", new.name_nb), ("en", new.name_en)):
        with translation.override(language):
            [change] = history.entries([event])[0].changes
        assert change.after == name and change.before == getattr(old, f"name_{language}")


def test_booleans_are_yes_or_no_and_deleted_or_old_values_stay_readable(cast):
    event = audit.record(actor=None, action="update", obj=cast.unit_a,
                         before={"plan_owner": "Old name kept as text", "is_active": True, "units": [],
                                 "levels": {}},
                         after={"plan_owner": 999_999, "is_active": False, "units": ["A", "B"],
                                "levels": {"people": 3}})
    with translation.override("nb"):
        changes = {c.label: c for c in history.entries([event])[0].changes}
    parent = next(c for c in changes.values() if c.before == "Old name kept as text")
    assert parent.after == "(slettet)"
    assert changes["Is active"].before == "Ja" and changes["Is active"].after == "Nei"
    assert changes["Units"].before == "–" and changes["Units"].after == "A, B"
    assert changes["Levels"].before == "–" and changes["Levels"].after == "people: 3"


def test_a_value_stored_some_other_way_is_shown_as_stored(cast):
    from hms.measures.models import Measure

    measure = Measure.objects.create(org_unit=cast.unit_a, title="M", created_by=cast.leader)
    event = audit.record(actor=None, action="update", obj=measure,
                         before={"deadline": "soon", "cost_estimate": "a lot",
                                 "created_at": "2027-01-15T09:30:00"},
                         after={"deadline": "2027-01-15", "cost_estimate": "2500.00",
                                "created_at": "2027-01-15T09:30:00+00:00"})
    with translation.override("nb"):
        deadline, cost, created = history.entries([event])[0].changes
    assert (deadline.before, deadline.after) == ("soon", "15.01.2027")
    assert (cost.before, cost.after) == ("a lot", "2\xa0500")
    assert (created.before, created.after) == ("2027-01-15T09:30:00", "15.01.2027 10:30")


def test_unknown_actions_fall_back_to_a_readable_form(cast):
    event = audit.record(actor=None, action="archive_old:things", obj=cast.unit_a)
    assert history.action_label(event) == "Archive old: things"


def test_every_action_the_services_record_has_a_translated_label():
    """Each action name written in the code (not status:…, which names the status) is in the
    catalogue, so nobody reads a raw name."""
    sources = list(HMS.glob("*/*.py"))
    pattern = re.compile(r'action="([a-z_:]+)"|_audited\(actor, "([a-z_:]+)"')
    found = {a or b for path in sources for a, b in pattern.findall(path.read_text())}
    assert found >= {"create", "report", "attach"}
    assert sorted(found - set(history.ACTIONS)) == []


def test_a_page_of_history_costs_the_same_queries_for_one_event_as_for_many(cast):
    measure = edited_measure(cast)
    few = AuditEvent.objects.for_object(measure).select_related("actor")
    with CaptureQueriesContext(connection) as one:
        history.entries(list(few)[:1])
    for person in (cast.coordinator, cast.leader, cast.employee, cast.safety_rep):
        measure = services.update_measure(actor=cast.leader, measure=measure,
                                          version=measure.version, data={"responsible": person})
    events = list(AuditEvent.objects.for_object(measure).select_related("actor"))
    with CaptureQueriesContext(connection) as many:
        shown = history.entries(events)
    assert len(events) > 5 and len(many) == len(one) == 1  # the people, in one query
    assert sum(len(entry.changes) for entry in shown) > 5
