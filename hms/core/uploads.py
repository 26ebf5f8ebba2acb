"""Uploaded photos and files: type and size checked, images re-encoded without their metadata.

A phone photo carries the GPS position where it was taken, the device and often the owner's name
in its EXIF data. An image is therefore decoded and written anew, so that only its pixels are
kept; a file that does not decode as an allowed type is refused, whatever its name says."""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from hms.core.errors import ServiceError

IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_PIXELS = 40_000_000
MAX_SIDE = 2560  # larger photos are scaled down: enough to see a finding, small to store


@dataclass(frozen=True)
class CleanFile:
    content: ContentFile[bytes]
    content_type: str
    size: int


def clean_upload(upload: Any) -> CleanFile:
    """An image re-encoded as JPEG (or PNG when it has transparency), or a PDF as it is; anything
    else, or anything too large, raises ServiceError with a message for the person."""
    limit = settings.HMS_MAX_ATTACHMENT_BYTES
    if upload.size is not None and upload.size > limit:
        raise ServiceError(_("The file “%(name)s” is larger than %(mb)d MB.") % {
            "name": upload.name, "mb": limit // (1024 * 1024)})
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ServiceError(_("The file “%(name)s” is larger than %(mb)d MB.") % {
            "name": upload.name, "mb": limit // (1024 * 1024)})
    if data.startswith(b"%PDF-"):
        return CleanFile(ContentFile(data, name=f"{secrets.token_hex(12)}.pdf"), "application/pdf",
                         len(data))
    return _reencoded_image(data, upload.name)


def _reencoded_image(data: bytes, name: str) -> CleanFile:
    from PIL import Image, ImageOps, UnidentifiedImageError

    refused = ServiceError(_("“%(name)s” is not a photo (JPEG, PNG, WebP or GIF) or a PDF.") % {
        "name": name})
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in IMAGE_FORMATS or probe.width * probe.height > MAX_PIXELS:
                raise refused
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise refused from None
    upright.thumbnail((MAX_SIDE, MAX_SIDE))
    keeps_alpha = upright.mode in ("RGBA", "LA") or "transparency" in upright.info
    out = io.BytesIO()
    if keeps_alpha:
        upright.convert("RGBA").save(out, format="PNG", optimize=True)
        extension, content_type = "png", "image/png"
    else:
        upright.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
        extension, content_type = "jpg", "image/jpeg"
    content = out.getvalue()
    return CleanFile(ContentFile(content, name=f"{secrets.token_hex(12)}.{extension}"), content_type,
                     len(content))
