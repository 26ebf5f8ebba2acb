from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from hms.accounts.models import User
from hms.core.models import Notification

pytestmark = pytest.mark.django_db
HMS = Path(settings.BASE_DIR) / "hms"









def test_notifications_are_listed_and_marked_read(cast):
    Notification.objects.create(recipient=cast.employee, message="Look here", url="/measures/mine/")
    client = Client()
    client.force_login(cast.employee)
    home = client.get("/").content.decode()
    assert "Look here" in home and 'class="badge"' in home
    client.post("/notifications/read/")
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert 'class="badge"' not in client.get("/").content.decode()


def test_pages_send_a_strict_content_security_policy(cast):
    client = Client()
    client.force_login(cast.employee)
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_templates_have_no_inline_scripts_and_load_nothing_from_elsewhere():
    for path in HMS.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<script>[^<]|\son(click|change|submit|load|input)=", text), path
        assert not re.search(r'(src|href)="(https?:)?//', text), path


def test_the_unit_switcher_lists_my_units_and_goes_there(cast):
    client = Client()
    client.force_login(cast.coordinator)
    assert "Faculty F" in client.get("/").content.decode()
    response = client.get(f"/org/switch/?unit={cast.unit_a.pk}")
    assert response["Location"] == f"/org/units/{cast.unit_a.pk}/"


def test_the_scheduler_command_ticks_once(db, capsys, time_machine):
    time_machine.move_to("2026-11-25 09:00 +01:00")
    call_command("run_scheduler", "--once")
    assert "enqueued digest:2026-11-25" in capsys.readouterr().out
    call_command("run_scheduler", "--once")
    assert capsys.readouterr().out == ""


def test_seed_demo_builds_the_university_once(db, capsys):
    call_command("seed_demo")
    assert User.objects.count() >= 150
    for name in ("leader", "safetyrep", "coordinator", "employee", "student", "outsider", "admin"):
        assert User.objects.get(username=name).check_password("demo")
    from hms.risk.models import AssessmentStatus, RiskAssessment

    hf = RiskAssessment.objects.get(title__contains="flussyre")
    assert hf.status == AssessmentStatus.DRAFT and hf.rows.filter(colour="red").count() == 2
    with translation.override("en"):  # one red row is left to answer
        assert sum("is red" in problem for problem in hf.approval_problems()) == 1
    assert RiskAssessment.objects.filter(kind="overall", status=AssessmentStatus.APPROVED).count() >= 8
    from hms.deviations.models import Deviation

    statuses = set(Deviation.objects.values_list("status", flat=True))
    assert {"reported", "accepted", "under_treatment", "closed", "rejected"} <= statuses
    student = User.objects.get(username="student")
    assert Deviation.objects.filter(reporter=student).exists()
    assert Deviation.objects.filter(anonymous=True, reporter__isnull=True).exists()
    assert Deviation.objects.overdue().filter(org_unit__code="kjemi").exists()
    from hms.rounds.models import Round

    assert {"planned", "conducted", "closed"} <= set(Round.objects.values_list("status", flat=True))
    assert Round.objects.filter(status="closed", findings__isnull=False).exists()
    from django.utils import timezone

    from hms.meetings.models import Meeting

    kjemi = Meeting.objects.filter(org_unit__code="kjemi", kind="leader_vo")
    past = kjemi.filter(starts_at__lt=timezone.now())
    assert past.filter(status="held").count() == max(0, past.count() - 1)  # the latest waits
    assert kjemi.filter(status="planned", starts_at__year=timezone.localdate().year + 1).count() == 4
    assert Meeting.objects.filter(status="cancelled").exists() or not past.exists()
    from hms.competence.models import TrainingRecord
    from hms.health.models import HealthServiceContact, Involvement

    assert TrainingRecord.objects.count() > 50
    assert HealthServiceContact.objects.filter(org_unit__depth=1).exists()
    assert Involvement.objects.exists()
    from hms.governance.models import Delegation, Goal

    assert Goal.objects.filter(org_unit__code="kjemi").exists()
    assert {"awaiting", "accepted"} <= set(Delegation.objects.values_list("status", flat=True))
    call_command("seed_demo")
    assert "no demo data added" in capsys.readouterr().out


@pytest.mark.parametrize(("persona", "unit"), [("employee", "unit_a"), ("coordinator", "faculty_f"),
                                               ("student", None), ("outsider", "unit_b")])
def test_the_navigation_links_to_the_highest_plan_the_person_may_see(cast, persona, unit):
    client = Client()
    client.force_login(cast.users[persona])
    nav = client.get("/").content.decode().split("</nav>")[0]
    links = re.findall(r'href="/measures/units/(\d+)/"', nav)
    assert links == ([str(getattr(cast, unit).pk)] if unit else [])


@pytest.mark.parametrize(("persona", "link"), [
    ("handler", "/deviations/units/{a}/"), ("safety_rep", "/deviations/units/{a}/"),
    ("coordinator", "/deviations/units/{f}/statistics/"), ("employee", None), ("student", None)])
def test_the_navigation_links_to_the_deviations_the_person_follows(cast, persona, link):
    client = Client()
    client.force_login(cast.users[persona])
    nav = client.get("/").content.decode().split("</nav>")[0]
    assert 'href="/deviations/report/"' in nav
    found = re.findall(r'href="(/deviations/units/[^"]+)"', nav)
    assert found == ([link.format(a=cast.unit_a.pk, f=cast.faculty_f.pk)] if link else [])



def test_the_page_names_its_icon_so_browsers_ask_for_no_favicon_ico(cast):
    client = Client()
    client.force_login(cast.employee)
    assert 'rel="icon"' in client.get("/").content.decode()
