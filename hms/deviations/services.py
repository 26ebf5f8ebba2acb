"""Every write to a deviation goes through here: the report, each handling step, measures, links,
attachments, the sensitive injury details (whose reads are audited too) and public report links."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hms.core import audit, authz
from hms.core.concurrency import save_if_current
from hms.core.errors import ServiceError
from hms.core.notifications import notify
from hms.core.roles import Action, Role
from hms.core.uploads import clean_upload
from hms.deviations import access
from hms.deviations.models import (
    OPEN_STATUSES,
    TRANSITIONS,
    Attachment,
    CauseCategory,
    Deviation,
    InjuryDetails,
    PublicReportLink,
    Status,
    receipt_digest,
)
from hms.measures import services as measure_services
from hms.measures.models import Status as MeasureStatus
from hms.org.models import OrgUnit, RoleAssignment, SafetyArea
from hms.risk import access as risk_access

REPORT_FIELDS = ["org_unit", "safety_area", "location", "deviation_type", "title", "description",
                 "immediate_action", "occurred_at", "serious_injury"]
ASSESSMENT_FIELDS = ["actual_consequence", "potential_consequence", "cause_categories", "cause",
                     "serious_injury"]
MAX_ATTACHMENTS = 10



def _require_handler(actor: Any, deviation: Deviation) -> None:
    authz.require(access.can_deviation(actor, Action.EDIT, deviation))


def _fresh(deviation: Deviation, version: int, values: dict[str, Any]) -> Deviation:
    """Compare-and-set on the case's version; every write also marks the case as touched."""
    return save_if_current(
        Deviation.objects.select_related("org_unit", "safety_area", "deviation_type", "handler",
                                         "reporter"),
        deviation.pk, version, {**values, "last_activity_at": timezone.now()},
        _("Someone else changed this case while you were working on it. Nothing was saved: look "
          "at the case as it is now and try again."))


def _touch(deviation: Deviation, values: dict[str, Any] | None = None) -> Deviation:
    """Additions (files, measures, links) conflict with nobody's edit: no version check, but the
    version moves on, so a form opened before them is refused rather than saved over them."""
    Deviation.objects.filter(pk=deviation.pk).update(
        **(values or {}), last_activity_at=timezone.now(), version=F("version") + 1)
    return Deviation.objects.select_related("org_unit", "deviation_type").get(pk=deviation.pk)


def _audited(actor: Any, action: str, deviation: Deviation, before: dict[str, Any]) -> None:
    audit.record(actor=actor, action=action, obj=deviation, org_unit=deviation.org_unit,
                 before=before, after=audit.snapshot(deviation, Deviation.AUDITED_FIELDS))


def _people(unit: OrgUnit, role: str) -> list[Any]:
    assignments = RoleAssignment.objects.active().over(unit).filter(role=role)
    return [assignment.person for assignment in assignments.select_related("person")]


def _tell(people: list[Any], deviation: Deviation, message: Promise, actor: Any = None,
          date_only: bool = False) -> None:
    """Notify each person once (never the one who acted), in their own language. `message` is
    lazy, with %(title)s and %(unit)s; `date_only` for one dated by the report."""
    seen = {getattr(actor, "pk", None)}
    for person in people:
        if person.pk in seen:
            continue
        seen.add(person.pk)
        with translation.override(person.language):
            text = str(message) % {"title": deviation.title, "unit": deviation.org_unit.name}
        notify(person, text, reverse("deviations:detail", args=[deviation.pk]), date_only=date_only)


def _safety_reps(deviation: Deviation) -> list[Any]:
    if deviation.safety_area_id is None:
        return [a.person for a in RoleAssignment.objects.safety_reps_of(deviation.org_unit)
                .select_related("person")]
    assignments = RoleAssignment.objects.active().filter(
        role=Role.SAFETY_REP, safety_area_id=deviation.safety_area_id).select_related("person")
    return [assignment.person for assignment in assignments]


# --- Reporting -------------------------------------------------------------------------------------


def _area_fits_unit(values: dict[str, Any]) -> bool:
    """A report names a safety area of its unit (or none): an area elsewhere would tell, and let
    read the case, a safety representative it does not concern."""
    area, unit = values.get("safety_area"), values.get("org_unit")
    return area is None or unit is None or area.serves(unit)


def report_deviation(*, actor: Any, data: dict[str, Any], uploads: list[Any] | None = None,
                     anonymous: bool = False, public_link: PublicReportLink | None = None,
                     injury: dict[str, str] | None = None) -> tuple[Deviation, str]:
    """A new case. Anyone signed in may report, and anyone on a public form. An anonymous report
    (and every one on a public form, even by someone signed in) stores nothing of who made it.
    Returns the case and the receipt secret (a link to follow the case; empty for a named report,
    which the reporter follows in the app)."""
    signed_in = bool(getattr(actor, "is_authenticated", False))
    authz.require(signed_in or public_link is not None)
    anonymous = anonymous or public_link is not None or not signed_in
    values = {name: data[name] for name in REPORT_FIELDS if name in data}
    if public_link is not None:
        area = public_link.safety_area
        values.update(safety_area=area, org_unit=area.org_unit)
    else:
        authz.require(_area_fits_unit(values))
    cleaned = [clean_upload(upload) for upload in _checked_count(uploads or [])]
    secret = secrets.token_urlsafe(24) if anonymous else ""
    with transaction.atomic():
        deviation = Deviation(
            **values, reporter=None if anonymous else actor, anonymous=anonymous,
            via_public_form=public_link is not None,
            receipt_digest=receipt_digest(secret) if secret else "")
        deviation.full_clean()
        deviation.save()
        for item in cleaned:
            Attachment.objects.create(deviation=deviation, file=item.content,
                                      content_type=item.content_type, size=item.size)
        if injury and any(value.strip() for value in injury.values()):
            InjuryDetails.objects.create(deviation=deviation, **injury)
        audit.record(actor=None if anonymous else actor, action="report", obj=deviation,
                     org_unit=deviation.org_unit, linked_to_request=not anonymous,
                     after=audit.snapshot(deviation, Deviation.AUDITED_FIELDS))
        _announce(deviation, None if anonymous else actor)
    return deviation, secret


def _checked_count(uploads: list[Any]) -> list[Any]:
    uploads = [upload for upload in uploads if upload]
    if len(uploads) > MAX_ATTACHMENTS:
        raise ServiceError(_("Attach at most %(n)d files.") % {"n": MAX_ATTACHMENTS})
    return uploads


def _announce(deviation: Deviation, actor: Any) -> None:
    """The safety area's safety representative hears of every new case; the unit's case handlers
    too; the leader when it could have been (or was) serious."""
    message = gettext_lazy("New deviation in %(unit)s: “%(title)s”.")
    date_only = deviation.reported_date_only
    _tell(_safety_reps(deviation) + _people(deviation.org_unit, Role.DEVIATION_HANDLER), deviation,
          message, actor, date_only)
    if deviation.high_potential:
        _tell(_people(deviation.org_unit, Role.LEADER), deviation,
              gettext_lazy("A deviation with a serious potential consequence was reported in %(unit)s: "
              "“%(title)s”."), actor, date_only)


def case_for_receipt(secret: str) -> Deviation | None:
    """The case a receipt link opens, or None."""
    if not secret or len(secret) > 100:
        return None
    return (Deviation.objects.select_related("deviation_type", "org_unit")
            .filter(receipt_digest=receipt_digest(secret)).first())


# --- Handling --------------------------------------------------------------------------------------


def _move(actor: Any, deviation: Deviation, to: str, version: int,
          values: dict[str, Any] | None = None) -> Deviation:
    step = TRANSITIONS.get((deviation.status, to))
    if step is None:
        raise ServiceError(_("A case that is “%(status)s” cannot become “%(to)s”.") % {
            "status": deviation.get_status_display(), "to": Status(to).label})
    _require_handler(actor, deviation)
    before = audit.snapshot(deviation, Deviation.AUDITED_FIELDS)
    fresh = _fresh(deviation, version, {"status": to, **(values or {})})
    _audited(actor, f"status:{to}", fresh, before)
    return fresh


def accept(*, actor: Any, deviation: Deviation, handler: Any, close_deadline: dt.date | None,
           version: int) -> Deviation:
    if handler is None or not access.may_handle_in_unit(handler, deviation.org_unit):
        raise ServiceError(_("Choose a case handler or leader of the unit."))
    deadline = close_deadline or timezone.localdate() + dt.timedelta(
        days=settings.HMS_DEVIATION_DEADLINE_DAYS)
    if deadline < timezone.localdate():
        raise ServiceError(_("The closing deadline cannot be in the past."))
    with transaction.atomic():
        fresh = _move(actor, deviation, Status.ACCEPTED, version, {
            "handler": handler, "close_deadline": deadline, "accepted_at": timezone.now()})
        _tell(_safety_reps(fresh), fresh, gettext_lazy("The deviation “%(title)s” in %(unit)s was accepted."),
              actor)
        if handler.pk != getattr(actor, "pk", None):
            _tell([handler], fresh, gettext_lazy("You handle the deviation “%(title)s” in %(unit)s."), actor)
    return fresh


def reject(*, actor: Any, deviation: Deviation, reason: str, version: int) -> Deviation:
    if not reason.strip():
        raise ServiceError(_("Give a reason for rejecting the case."))
    with transaction.atomic():
        fresh = _move(actor, deviation, Status.REJECTED, version, {"reject_reason": reason.strip()})
        _tell_reporter(fresh, gettext_lazy(
            "Your report “%(title)s” was rejected: see the reason in the case."))
    return fresh


def _tell_reporter(deviation: Deviation, message: Promise) -> None:
    if deviation.reporter is not None:
        _tell([deviation.reporter], deviation, message)


def transfer(*, actor: Any, deviation: Deviation, to_unit: OrgUnit, version: int) -> Deviation:
    """A case sent to the wrong unit goes to the right one, still reported, for its handlers."""
    if deviation.status != Status.REPORTED:
        raise ServiceError(_("Only a case that is still reported can be transferred."))
    _require_handler(actor, deviation)
    if to_unit.pk == deviation.org_unit_id:
        raise ServiceError(_("The case already belongs to that unit."))
    with transaction.atomic():
        before = audit.snapshot(deviation, Deviation.AUDITED_FIELDS)
        fresh = _fresh(deviation, version, {"org_unit": to_unit, "transferred_from": deviation.org_unit,
                                            "handler": None})
        _audited(actor, "transfer", fresh, before)
        _tell(_people(to_unit, Role.DEVIATION_HANDLER) + _people(to_unit, Role.LEADER), fresh,
              gettext_lazy("The deviation “%(title)s” was transferred to %(unit)s."), actor)
    return fresh


def assess(*, actor: Any, deviation: Deviation, data: dict[str, Any], version: int) -> Deviation:
    """Consequence and cause. An accepted case is under treatment from its first assessment."""
    if deviation.status not in (Status.ACCEPTED, Status.UNDER_TREATMENT, Status.MEASURES_DONE):
        raise ServiceError(_("Accept the case before assessing it."))
    _require_handler(actor, deviation)
    values = {name: data[name] for name in ASSESSMENT_FIELDS if name in data}
    for name in ("actual_consequence", "potential_consequence"):
        if values.get(name) is not None and not 1 <= values[name] <= 5:
            raise ServiceError(_("A consequence is a level from 1 to 5."))
    unknown = set(values.get("cause_categories", [])) - set(CauseCategory.values)
    if unknown:
        raise ServiceError(_("Unknown cause category: %(codes)s.") % {"codes": ", ".join(sorted(unknown))})
    if deviation.status == Status.ACCEPTED:
        values["status"] = Status.UNDER_TREATMENT
    was_high = deviation.high_potential
    with transaction.atomic():
        before = audit.snapshot(deviation, Deviation.AUDITED_FIELDS)
        fresh = _fresh(deviation, version, values)
        _audited(actor, "assess", fresh, before)
        if fresh.high_potential and not was_high:
            _tell(_people(fresh.org_unit, Role.LEADER), fresh,
                  gettext_lazy("The deviation “%(title)s” in %(unit)s has a serious potential consequence."),
                  actor)
    return fresh


def add_measure(*, actor: Any, deviation: Deviation, data: dict[str, Any]) -> Any:
    """A measure in the unit's action plan, linked to the case, which is then under treatment."""
    _require_handler(actor, deviation)
    with transaction.atomic():
        current = Deviation.objects.select_for_update().get(pk=deviation.pk)
        if current.status not in (Status.ACCEPTED, Status.UNDER_TREATMENT, Status.MEASURES_DONE):
            raise ServiceError(_("Accept the case before adding measures."))
        measure = measure_services.create_measure(
            actor=actor, org_unit=deviation.org_unit,
            data={"safety_area": deviation.safety_area, **data}, origin="deviation",
            origin_record=deviation)
        if current.status == Status.UNDER_TREATMENT:
            _touch(current)
        else:
            before = audit.snapshot(current, Deviation.AUDITED_FIELDS)
            fresh = _touch(current, {"status": Status.UNDER_TREATMENT})
            _audited(actor, f"status:{Status.UNDER_TREATMENT}", fresh, before)
    return measure


def measures_of(deviation: Deviation) -> Any:
    from django.contrib.contenttypes.models import ContentType

    from hms.measures.models import Measure

    return Measure.objects.filter(origin_type=ContentType.objects.get_for_model(Deviation),
                                  origin_id=deviation.pk).select_related("responsible")


def mark_measures_done(*, actor: Any, deviation: Deviation, version: int) -> Deviation:
    measures = measures_of(deviation)
    if not measures.exists():
        raise ServiceError(_("The case has no measures. Close it directly if none are needed."))
    if measures.filter(status__in=(MeasureStatus.OPEN, MeasureStatus.IN_PROGRESS)).exists():
        raise ServiceError(_("Some of the case's measures are still open in the action plan."))
    with transaction.atomic():
        return _move(actor, deviation, Status.MEASURES_DONE, version)


def close(*, actor: Any, deviation: Deviation, conclusion: str, learning: str,
          version: int) -> Deviation:
    if not conclusion.strip():
        raise ServiceError(_("Write the conclusion before closing the case."))
    if measures_of(deviation).filter(
            status__in=(MeasureStatus.OPEN, MeasureStatus.IN_PROGRESS)).exists():
        raise ServiceError(_("Some of the case's measures are still open in the action plan."))
    with transaction.atomic():
        fresh = _move(actor, deviation, Status.CLOSED, version, {
            "conclusion": conclusion.strip(), "learning": learning.strip(),
            "closed_at": timezone.now()})
        _tell_reporter(fresh, gettext_lazy("Your report “%(title)s” was closed."))
    return fresh


def reopen(*, actor: Any, deviation: Deviation, version: int) -> Deviation:
    to = next((to for (frm, to), step in TRANSITIONS.items()
               if frm == deviation.status and step == "reopen"), None)
    if to is None:
        raise ServiceError(_("Only a closed, rejected or finished case can be reopened."))
    with transaction.atomic():
        return _move(actor, deviation, to, version, {"closed_at": None})


NOTICES = {
    "authorities": "authorities_notified_at",
    "police": "police_notified_at",
    "injury_report": "injury_report_filed_on",
}


def record_notice(*, actor: Any, deviation: Deviation, notice: str, at: dt.datetime | None,
                  version: int) -> Deviation:
    """When the Labour Inspection Authority or the police were told, or the injury report filed."""
    field = NOTICES.get(notice)
    if field is None:
        raise ServiceError(_("Unknown notice."))
    _require_handler(actor, deviation)
    when = at or timezone.now()
    if when > timezone.now() + dt.timedelta(minutes=5):
        raise ServiceError(_("The time cannot be in the future."))
    value: Any = timezone.localtime(when).date() if field.endswith("_on") else when
    with transaction.atomic():
        before = audit.snapshot(deviation, Deviation.AUDITED_FIELDS)
        fresh = _fresh(deviation, version, {field: value})
        _audited(actor, f"notice:{notice}", fresh, before)
    return fresh


def link_risk_rows(*, actor: Any, deviation: Deviation, rows: list[Any]) -> Deviation:
    """The risk assessment rows that covered (or missed) the event. Only rows the actor may see."""
    _require_handler(actor, deviation)
    for row in rows:
        authz.require(risk_access.can_assessment(actor, Action.VIEW, row.assessment))
    with transaction.atomic():
        before = {"risk_rows": sorted(str(r) for r in deviation.risk_rows.all())}
        deviation.risk_rows.set(rows)
        fresh = _touch(deviation)
        audit.record(actor=actor, action="link_risk_rows", obj=fresh, org_unit=fresh.org_unit,
                     before=before, after={"risk_rows": sorted(str(r) for r in rows)})
    return fresh


def request_new_assessment(*, actor: Any, deviation: Deviation, as_draft: bool) -> Any:
    """Flag that a new risk assessment is needed and start it: a draft detailed assessment (after
    a deviation), or a measure in the action plan to make one. Returns what was made."""
    from hms.risk import services as risk_services
    from hms.risk.models import AssessmentKind, Trigger

    _require_handler(actor, deviation)
    made: Any
    with transaction.atomic():
        if as_draft:
            made = risk_services.create_assessment(
                actor=actor, org_unit=deviation.org_unit, kind=AssessmentKind.DETAILED,
                data={"title": deviation.title[:200], "trigger": Trigger.AFTER_DEVIATION,
                      "scope": deviation.description[:2000]})
        else:
            made = measure_services.create_measure(
                actor=actor, org_unit=deviation.org_unit, origin="deviation",
                origin_record=deviation, data={
                    "title": (_("New risk assessment after: %(title)s") % {
                        "title": deviation.title})[:200],
                    "safety_area": deviation.safety_area})
        before = audit.snapshot(deviation, Deviation.AUDITED_FIELDS)
        fresh = _touch(deviation, {"needs_new_assessment": True})
        _audited(actor, "needs_new_assessment", fresh, before)
    return made


# --- Attachments and injury details ----------------------------------------------------------------


def add_attachments(*, actor: Any, deviation: Deviation, uploads: list[Any]) -> list[Attachment]:
    authz.require(access.follows_deviation(actor, deviation) or (
        deviation.reporter_id is not None and deviation.reporter_id == getattr(actor, "pk", None)
        and deviation.status in OPEN_STATUSES))
    uploads = _checked_count(uploads)
    if deviation.attachments.count() + len(uploads) > MAX_ATTACHMENTS:
        raise ServiceError(_("A case has at most %(n)d files.") % {"n": MAX_ATTACHMENTS})
    cleaned = [clean_upload(upload) for upload in uploads]
    with transaction.atomic():
        made = [Attachment.objects.create(deviation=deviation, file=item.content,
                                          content_type=item.content_type, size=item.size)
                for item in cleaned]
        for attachment in made:
            audit.record(actor=actor, action="attach", obj=deviation, org_unit=deviation.org_unit,
                         after={"attachment": str(attachment)})
        _touch(deviation)
    return made


def read_injury_details(*, actor: Any, deviation: Deviation) -> InjuryDetails | None:
    """Who was injured, and how; the read itself goes into the audit trail."""
    authz.require(access.may_read_injury_details(actor, deviation))
    details = InjuryDetails.objects.filter(deviation=deviation).first()
    audit.record(actor=actor, action="read:injury_details", obj=deviation,
                 org_unit=deviation.org_unit)
    return details


def set_injury_details(*, actor: Any, deviation: Deviation, injured_person: str,
                       health_details: str) -> InjuryDetails:
    authz.require(access.may_read_injury_details(actor, deviation))
    with transaction.atomic():
        details, _created = InjuryDetails.objects.get_or_create(deviation=deviation)
        before = audit.snapshot(details, InjuryDetails.AUDITED_FIELDS)
        details.injured_person, details.health_details = injured_person.strip(), health_details.strip()
        details.full_clean()
        details.save()
        # The audit says that the details changed, never what they say.
        audit.record(actor=actor, action="update:injury_details", obj=deviation,
                     org_unit=deviation.org_unit,
                     before={name: bool(value) for name, value in before.items()},
                     after=_which_details(details))
        _touch(deviation)
    return details


def _which_details(details: InjuryDetails) -> dict[str, bool]:
    """Which details a case has, never what they say: what the audit trail may hold of them."""
    return {name: bool(getattr(details, name)) for name in InjuryDetails.AUDITED_FIELDS}


def delete_old_injury_details(*, now: dt.datetime | None = None) -> int:
    """Who was hurt and how is kept HMS_INJURY_DETAILS_KEEP_DAYS days after a case is closed, then
    deleted by the daily job; the case itself stays. Each deletion is audited, saying only which
    details there were. Returns how many cases lost their details."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.HMS_INJURY_DETAILS_KEEP_DAYS)
    due = (InjuryDetails.objects.filter(deviation__status=Status.CLOSED, deviation__closed_at__lt=cutoff)
           .select_related("deviation__org_unit").order_by("pk"))
    return sum(_delete_injury_details(details) for details in list(due))


def _delete_injury_details(details: InjuryDetails) -> bool:
    with transaction.atomic():
        deleted, _counts = InjuryDetails.objects.filter(pk=details.pk).delete()
        if deleted:  # not already gone with a concurrent run
            deviation = details.deviation
            audit.record(actor=None, action="retention:injury_details", obj=deviation,
                         org_unit=deviation.org_unit,
                         before=_which_details(details),
                         after=dict.fromkeys(InjuryDetails.AUDITED_FIELDS, False))
    return bool(deleted)


# --- Public report links ---------------------------------------------------------------------------


def public_link_for(token: str) -> PublicReportLink | None:
    """The public form a poster's address opens, or None."""
    if not token or len(token) > 64:
        return None
    return (PublicReportLink.objects.select_related("safety_area__org_unit")
            .filter(token=token).first())


def public_link(*, actor: Any, area: SafetyArea, renew: bool = False) -> PublicReportLink:
    """The area's public form address, made on first use; `renew` retires the printed one."""
    authz.require(access.may_manage_public_link(actor, area))
    with transaction.atomic():
        link = PublicReportLink.objects.select_for_update().filter(safety_area=area).first()
        if link is not None and not renew:
            return link
        token = secrets.token_urlsafe(16)
        if link is None:
            link = PublicReportLink.objects.create(safety_area=area, token=token)
        else:
            link.token = token
            link.save(update_fields=["token"])
        audit.record(actor=actor, action="renew_public_link" if renew else "create_public_link",
                     obj=area, org_unit=area.org_unit)
    return link
