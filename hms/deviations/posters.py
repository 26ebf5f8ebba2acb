"""The QR code on a safety area's poster: an SVG drawn by segno, embedded in the poster's PDF."""

from __future__ import annotations

import io

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(url: str) -> SafeString:
    """The address as a QR code, an inline <svg> (no XML declaration), high error correction so a
    worn poster still scans."""
    out = io.BytesIO()
    segno.make(url, error="h", micro=False).save(out, kind="svg", scale=10, border=4,
                                                 xmldecl=False, svgns=True, nl=False)
    return mark_safe(out.getvalue().decode())  # noqa: S308 - segno's own markup, no user text
