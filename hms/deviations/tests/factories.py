"""Making deviations in tests: through the service, as a reporter would."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hms.deviations import services
from hms.deviations.models import Deviation, DeviationType


def deviation_type(code: str = "near_miss") -> DeviationType:
    return DeviationType.objects.get(code=code)


def report(cast: Any, *, by: Any = None, anonymous: bool = False, code: str = "near_miss",
           **fields: Any) -> Deviation:
    data = {"org_unit": cast.unit_a, "safety_area": cast.area, "deviation_type": deviation_type(code),
            "title": "Spill by the fume hood", "description": "Acid on the floor.",
            "occurred_at": timezone.now() - dt.timedelta(hours=1), **fields}
    deviation, _secret = services.report_deviation(actor=by or cast.student, data=data,
                                                   anonymous=anonymous)
    return deviation


def accepted(cast: Any, **fields: Any) -> Deviation:
    deviation = report(cast, **fields)
    return services.accept(actor=cast.handler, deviation=deviation, handler=cast.handler,
                           close_deadline=None, version=deviation.version)


def photo(name: str = "photo.jpg", *, size: tuple[int, int] = (40, 30), gps: bool = True,
          image_format: str = "JPEG") -> SimpleUploadedFile:
    """A real image; with `gps`, it carries EXIF data with a position and a camera owner."""
    from PIL import Image

    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    if gps and image_format == "JPEG":
        exif = Image.Exif()
        exif[0x013B] = "Ola Nordmann"  # Artist
        exif[0x8825] = {1: "N", 2: (63.0, 25.0, 0.0), 3: "E", 4: (10.0, 24.0, 0.0)}  # GPS IFD
        image.save(out, format=image_format, exif=exif)
    else:
        image.save(out, format=image_format)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png"}.get(image_format, "image/jpeg")
    return SimpleUploadedFile(name, out.getvalue(), content_type=content_type)
