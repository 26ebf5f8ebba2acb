"""The delegation register: the leader delegates a task to one of the unit's people, who accepts
(recorded) or declines with a reason; the leader revokes; flags for awaiting, expired and ending
soon; the delegate is notified in their language."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from hms.core.errors import ServiceError, StaleEdit
from hms.core.models import AuditEvent, Notification
from hms.governance import services
from hms.governance.catalogue import load_tasks
from hms.governance.models import Delegation, DelegationStatus, DelegationTask
from hms.governance.tests.factories import accepted, delegation, expire, task

pytestmark = pytest.mark.django_db


def test_the_catalogue_is_loaded_and_a_reload_adds_nothing():
    assert DelegationTask.objects.count() >= 10
    first_aid = DelegationTask.objects.get(code="first_aid")
    assert first_aid.name_nb == "Førstehjelper" and first_aid.description_en
    assert load_tasks(DelegationTask) == 0
    DelegationTask.objects.filter(code="ppe").delete()
    assert load_tasks(DelegationTask) == 1


def test_it_delegates_a_catalogue_task_and_tells_the_delegate_in_their_language(cast):
    cast.employee.language = "en"
    cast.employee.save()
    made = delegation(cast)
    assert made.status == DelegationStatus.AWAITING and made.delegated_by == cast.leader
    assert made.title == "Førstehjelper"  # the active language (bokmål), not the delegate's
    note = Notification.objects.get(recipient=cast.employee)
    assert note.message.startswith("You have been delegated the HSE task “First aider”")
    assert note.url == made.get_absolute_url()
    assert AuditEvent.objects.for_object(made).get().action == "create"
    assert str(made).endswith(str(cast.employee))


def test_it_delegates_a_free_text_task_until_further_notice(cast):
    made = delegation(cast, text=" Radiation protection contact ", days=None, to=cast.lab_leader)
    assert made.task is None and made.title == "Radiation protection contact"
    assert made.valid_to is None and not made.ends_soon() and not made.is_expired()


@pytest.mark.parametrize("who", ["coordinator", "employee", "safety_rep", "handler", "outsider"])
def test_only_the_leader_delegates(cast, who):
    with pytest.raises(PermissionDenied):
        services.delegate_task(actor=cast.users[who], org_unit=cast.unit_a, data={
            "task": task(), "delegate": cast.lab_leader, "valid_from": timezone.localdate()})
    assert not Delegation.objects.exists()


@pytest.mark.parametrize(("change", "message"), [
    ({"task": None, "task_text": ""}, "Choose a task from the list"),
    ({"task_text": "Both"}, "Choose a task from the list"),
    ({"delegate": None}, "Choose the person"),
    ({"delegate": "leader"}, "Choose the person"),
    ({"delegate": "outsider"}, "holds no role in Department A"),
    ({"delegate": "coordinator"}, "holds no role in Department A"),
    ({"delegate": "student"}, "holds no role in Department A"),
    ({"valid_from": None}, "from which day"),
    ({"valid_to": "past"}, "not in the past"),
    ({"valid_to": "before"}, "after the start date"),
])
def test_bad_input_is_refused_with_a_clear_message_and_nothing_changes(cast, english, change, message):
    today = timezone.localdate()
    data = {"task": task(), "task_text": "", "delegate": cast.employee, "valid_from": today,
            "valid_to": None, **change}
    if isinstance(data["delegate"], str):
        data["delegate"] = cast.users[data["delegate"]]
    if data["valid_to"] == "past":
        data["valid_from"], data["valid_to"] = today - dt.timedelta(days=9), today - dt.timedelta(days=1)
    elif data["valid_to"] == "before":
        data["valid_from"], data["valid_to"] = today + dt.timedelta(days=9), today + dt.timedelta(days=2)
    with pytest.raises(ServiceError, match=message):
        services.delegate_task(actor=cast.leader, org_unit=cast.unit_a, data=data)
    assert not Delegation.objects.exists() and not Notification.objects.exists()


def test_the_delegate_accepts_and_the_acceptance_is_recorded(cast):
    made = delegation(cast)
    with pytest.raises(PermissionDenied):
        services.answer_delegation(actor=cast.leader, delegation=made, accept=True,
                                   version=made.version)
    done = services.answer_delegation(actor=cast.employee, delegation=made, accept=True,
                                      version=made.version)
    assert done.status == DelegationStatus.ACCEPTED and done.accepted_at is not None
    assert done.version == 2
    assert Notification.objects.filter(recipient=cast.leader, message__contains="Førstehjelper").exists()
    assert AuditEvent.objects.for_object(made).filter(action="status:accepted").exists()
    with pytest.raises(ServiceError):
        services.answer_delegation(actor=cast.employee, delegation=done, accept=False, reason="No",
                                   version=done.version)


def test_a_decline_needs_a_reason(cast, english):
    made = delegation(cast)
    with pytest.raises(ServiceError, match="Say why"):
        services.answer_delegation(actor=cast.employee, delegation=made, accept=False, reason=" ",
                                   version=made.version)
    made.refresh_from_db()
    assert made.status == DelegationStatus.AWAITING
    done = services.answer_delegation(actor=cast.employee, delegation=made, accept=False,
                                      reason="Away all autumn", version=made.version)
    assert done.status == DelegationStatus.DECLINED and done.decline_reason == "Away all autumn"
    assert done.accepted_at is None and not done.is_current and done.flags() == []


def test_an_expired_delegation_cannot_be_accepted(cast, english):
    made = expire(delegation(cast))
    with pytest.raises(ServiceError, match="period of this delegation has ended"):
        services.answer_delegation(actor=cast.employee, delegation=made, accept=True,
                                   version=made.version)


def test_a_stale_answer_is_refused(cast):
    made = delegation(cast)
    services.revoke_delegation(actor=cast.leader, delegation=made, version=made.version)
    with pytest.raises(StaleEdit):
        services.answer_delegation(actor=cast.employee, delegation=made, accept=True,
                                   version=made.version)
    made.refresh_from_db()
    assert made.status == DelegationStatus.REVOKED and made.accepted_at is None


def test_the_leader_revokes_and_the_delegate_is_told(cast):
    cast.employee.language = "en"
    cast.employee.save()
    made = accepted(cast)
    with pytest.raises(PermissionDenied):
        services.revoke_delegation(actor=cast.coordinator, delegation=made, version=made.version)
    done = services.revoke_delegation(actor=cast.leader, delegation=made, version=made.version)
    assert done.status == DelegationStatus.REVOKED and done.revoked_at is not None
    assert Notification.objects.filter(recipient=cast.employee, message__endswith="was revoked.").exists()
    with pytest.raises(ServiceError):
        services.revoke_delegation(actor=cast.leader, delegation=done, version=done.version)


def test_a_delegation_whose_leader_is_gone_is_still_answered(cast):
    made = delegation(cast)
    Delegation.objects.filter(pk=made.pk).update(delegated_by=None)
    made.refresh_from_db()
    done = services.answer_delegation(actor=cast.employee, delegation=made, accept=True,
                                      version=made.version)
    assert done.status == DelegationStatus.ACCEPTED
    assert not Notification.objects.filter(recipient=cast.leader).exists()


def test_the_flags_say_awaiting_expired_and_ends_soon(cast, english):
    waiting = delegation(cast, days=10)
    assert [css for css, _label in waiting.flags()] == ["awaiting", "soon"]
    assert [css for css, _label in accepted(cast, days=200).flags()] == []
    old = expire(accepted(cast))
    assert [css for css, _label in old.flags()] == ["overdue"]
    assert list(Delegation.objects.expired()) == [old]
    assert old not in Delegation.objects.in_force()


def test_the_register_orders_awaiting_then_accepted_then_expired_then_the_rest(cast):
    done = accepted(cast, days=200)
    old = expire(accepted(cast))
    waiting = delegation(cast)
    declined = delegation(cast)
    services.answer_delegation(actor=cast.employee, delegation=declined, accept=False, reason="No",
                               version=declined.version)
    assert list(Delegation.objects.register_order()) == [waiting, done, old, declined]
    assert list(Delegation.objects.current().register_order()) == [waiting, done, old]


def test_a_delegation_is_visible_to_its_delegate_and_the_units_view_scope(cast):
    made = delegation(cast, to=cast.safety_rep)
    for who in ("employee", "safety_rep", "coordinator", "leader", "admin"):
        assert list(Delegation.objects.visible_to(cast.users[who])) == [made], who
    for who in ("student", "outsider"):
        assert not Delegation.objects.visible_to(cast.users[who]).exists(), who
    assert not Delegation.objects.visible_to(cast.employee, "manage").exists()


def test_a_catalogue_task_in_use_cannot_be_deleted_in_the_admin(cast, rf):
    from django.contrib import admin

    from hms.governance.admin import DelegationTaskAdmin

    model_admin = DelegationTaskAdmin(DelegationTask, admin.site)
    request = rf.get("/")
    request.user = cast.admin
    unused = task("ppe")
    assert model_admin.has_delete_permission(request, unused)
    assert not model_admin.has_delete_permission(request, delegation(cast).task)
    assert not model_admin.has_delete_permission(request)
