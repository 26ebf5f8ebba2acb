"""Cross-cutting records: the append-only audit trail, in-app notifications, scheduler claims."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionDenied("Audit events are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionDenied("Audit events are append-only.")

    def for_object(self, obj: models.Model) -> AuditEventQuerySet:
        content_type = ContentType.objects.get_for_model(obj)
        return self.filter(content_type=content_type, object_id=str(obj.pk))


class AuditEvent(models.Model):
    """One write by one actor, with the values before and after. Never changed, never deleted."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=64)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("object"), max_length=255)
    org_unit = models.ForeignKey(
        "org.OrgUnit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionDenied("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionDenied("Audit events are append-only.")

    def changed(self) -> list[tuple[str, Any, Any]]:
        """(key, before, after) for every key whose value differs."""
        keys = list(dict.fromkeys([*self.before.keys(), *self.after.keys()]))
        return [(key, self.before.get(key), self.after.get(key)) for key in keys
                if self.before.get(key) != self.after.get(key)]

    def changes(self) -> list[tuple[str, Any, Any]]:
        """(field label, before, after) for every field whose value differs."""
        return [(self.label(key), before, after) for key, before, after in self.changed()]

    def field(self, name: str) -> Any:
        """The model field a snapshot key names, or None (a key that is no field)."""
        # get_for_id is cached per process: a page of history costs no query per event.
        model = ContentType.objects.get_for_id(self.content_type_id).model_class()
        try:
            return model._meta.get_field(name) if model else None
        except FieldDoesNotExist:
            return None

    def label(self, name: str) -> str:
        """The field's verbose name, or the key itself."""
        return str(getattr(self.field(name), "verbose_name", name))


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    message = models.CharField(_("message"), max_length=300)
    url = models.CharField(_("link"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Shown by its date alone: the time of one about an anonymous report would tell when it was made.
    date_only = models.BooleanField(_("date only"), default=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.message


class ScheduledRun(models.Model):
    """A claim that a scheduled job ran for a key (job + period): the unique key makes it run once."""

    key = models.CharField(max_length=200, unique=True)
    claimed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")

    def __str__(self) -> str:
        return self.key


class StoredUpload(models.Model):
    """A photo or file someone attached, kept as `core.uploads.clean_upload` made it: re-encoded
    images and checked PDFs under random names. Who uploaded it is in the audit trail (and for an
    anonymous report, nowhere). Each subclass gives its `file` field its own folder."""

    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return str(self.file.name).rsplit("/", 1)[-1]  # type: ignore[attr-defined]

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be made")
    RUNNING = "running", _("Being made")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class PreparedDocument(models.Model):
    """A large export or document made by the task worker for one person (`core.prepared`): its
    recipe (a registered maker and its parameters), how far it has come, and the file once made.
    Only its owner fetches it, and only while the maker still lets them see its content."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="prepared_documents")
    maker = models.CharField(max_length=100)
    params = models.JSONField(default=dict)
    title = models.CharField(_("document"), max_length=300)
    status = models.CharField(_("status"), max_length=10, choices=DocumentStatus.choices,
                              default=DocumentStatus.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="documents/%Y/%m/", blank=True)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("prepared document")
        verbose_name_plural = _("prepared documents")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "created_at"]), models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def finished(self) -> bool:
        return self.status in {DocumentStatus.READY, DocumentStatus.FAILED}

    @property
    def percent(self) -> int:
        if self.status == DocumentStatus.READY:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0
