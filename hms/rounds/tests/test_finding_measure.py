"""A finding becomes a task, not a statement (issue 14): the new-measure form of a round finding
starts from what was found (the comment, else the checkpoint as something to make true, in the
reader's language; a free finding's own title), keeps where it was found in the description, and
has the unit's plan owner, else its leader, as the responsible person."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from hms.accounts.models import User
from hms.measures import services as measure_services
from hms.measures.models import Measure
from hms.rounds import findings, services
from hms.rounds.models import Result
from hms.rounds.tests.factories import lab_round

pytestmark = pytest.mark.django_db


def form_for(user, finding, language="nb"):
    User.objects.filter(pk=user.pk).update(language=language)
    client = Client()
    client.force_login(user)
    page = client.get(reverse("rounds:finding_measure", args=[finding.pk]))
    assert page.status_code == 200
    return page.context["form"], client


def workshop_finding(cast, comment=""):
    """"Machines have guards that are in place and working." answered not OK on a walked round."""
    round_ = lab_round(cast, codes=("workshop",))
    item = round_.templates.get().items.get(position=1)
    services.save_answer(actor=cast.safety_rep, round_=round_, item=item, result=Result.NOT_OK,
                         comment=comment, version=None)
    round_.refresh_from_db()
    round_ = services.move(actor=cast.safety_rep, round_=round_, to="prepared", version=round_.version)
    round_ = services.move(actor=cast.safety_rep, round_=round_, to="conducted", version=round_.version)
    return round_.findings.get()


def test_a_checkpoint_not_ok_without_a_comment_becomes_a_task_in_the_readers_language(cast):
    finding = workshop_finding(cast)
    form, _client = form_for(cast.leader, finding)
    assert form.initial["title"] == "Sørg for at maskinene har verneinnretninger som er på plass og virker"
    day = finding.round.conducted_on.strftime("%d.%m.%Y")
    assert form.initial["description"] == (
        f"Ikke OK på HMS-runden i A labs {day}: Maskinene har verneinnretninger som er på plass og virker.")
    english, _client = form_for(cast.safety_rep, finding, "en")
    assert english.initial["title"] == "Ensure that machines have guards that are in place and working"
    assert english.initial["safety_area"] == cast.area.pk


def test_the_comment_is_the_title_and_the_checkpoint_stays_in_the_description(cast):
    finding = workshop_finding(cast, comment="Guard missing on lathe 3")
    form, client = form_for(cast.leader, finding, "en")
    assert form.initial["title"] == "Guard missing on lathe 3"
    assert form.initial["description"].startswith("Not OK on the HSE round in A labs")
    assert "Guard missing" not in form.initial["description"]
    assert form.initial["responsible"] == cast.leader.pk  # no plan owner: the unit's leader
    page = client.get(reverse("rounds:finding_measure", args=[finding.pk]))
    assert f'<option value="{cast.leader.pk}" selected>' in page.content.decode()

    long = workshop_finding(cast, comment="First line says what\nand the rest " + "x" * 300)
    form, _client = form_for(cast.leader, long, "en")
    assert form.initial["title"] == "First line says what"
    assert form.initial["description"].startswith("First line says what\nand the rest")


def test_a_free_finding_keeps_its_title(cast):
    round_ = lab_round(cast)
    finding = services.add_finding(actor=cast.safety_rep, round_=round_, title="Loose cable by the door",
                                   description="Taped over for now")
    form, _client = form_for(cast.leader, finding, "en")
    assert form.initial["title"] == "Loose cable by the door"
    assert form.initial["description"].startswith("Taped over for now\n\nFound on the HSE round in A labs")


def test_the_plan_owner_is_responsible_by_default_and_the_leader_when_they_cannot_be(cast):
    measure_services.set_plan_owner(actor=cast.leader, org_unit=cast.unit_a, owner=cast.coordinator)
    finding = workshop_finding(cast)
    form, client = form_for(cast.safety_rep, finding)
    assert form.initial["responsible"] == cast.coordinator.pk
    response = client.post(reverse("rounds:finding_measure", args=[finding.pk]), {
        **{k: v for k, v in form.initial.items() if v is not None}, "priority": 2})
    assert response.status_code == 302
    measure = Measure.objects.get()
    assert measure.responsible == cast.coordinator and measure.title.startswith("Sørg for at")
    User.objects.filter(pk=cast.coordinator.pk).update(is_active=False)  # no longer a choice
    assert form_for(cast.safety_rep, finding)[0].initial["responsible"] == cast.leader.pk


def test_a_checkpoint_keeps_an_abbreviation_at_its_start():
    assert findings._as_clause("ARK results have been followed up.") == "ARK results have been followed up"
    assert findings._as_clause("Fire doors close by themselves.") == "fire doors close by themselves"
    assert findings._as_clause("") == ""
