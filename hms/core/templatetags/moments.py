"""`{{ value|moment }}`: a time as a `<time>` element in the active language's format;
`{{ value|moment:True }}` the date alone."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def moment(value: dt.datetime | None, date_only: bool = False) -> SafeString | str:
    if value is None:
        return "–"
    local = timezone.localtime(value)
    if date_only:
        return format_html('<time datetime="{}">{}</time>', local.date().isoformat(),
                           date_format(local, "SHORT_DATE_FORMAT"))
    return format_html('<time datetime="{}">{}</time>', local.isoformat(),
                       date_format(local, "SHORT_DATETIME_FORMAT"))
