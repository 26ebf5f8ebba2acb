"""The row editor's widgets: the markup of hms.core.widgets, made faster still.

The editor of a 200-row assessment draws 3,800 widgets. Most of their time went to `format_html`
(and `flatatt`, which calls it once per attribute), and to the 77 options of each row's 12 selects.
These widgets build the same markup with plain string formatting and the standard library's
escaping (`conditional_escape` without the lazy-string wrapper), and a select keeps its options'
markup for each value it has drawn. tests/test_widgets.py checks the markup against the originals.
"""

from __future__ import annotations

import html
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from hms.core.widgets import QuickCheckboxInput, QuickHiddenInput, QuickSelect, QuickTextarea


def escape(value: Any) -> str:
    """`conditional_escape`: safe strings as they are, everything else escaped."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def attributes(attrs: dict[str, Any]) -> str:
    """`flatatt`: name="value" pairs by name, then the true booleans by name; False and None left
    out."""
    pairs = sorted((name, value) for name, value in attrs.items()
                   if value is not None and not isinstance(value, bool))
    flags = sorted(name for name, value in attrs.items() if value is True)
    return "".join([f' {escape(name)}="{escape(value)}"' for name, value in pairs]
                   + [f" {escape(name)}" for name in flags])


class RowSelect(QuickSelect):
    """A select that draws its options once for each selected value. The rows of a page share one
    set of fields (`RowForm.for_rows`), so the options of its 2,400 selects are drawn a few dozen
    times instead of 2,400. The options are QuickSelect's own markup, kept for the widget's life:
    make the widgets for a page (as the row form does), not once per process, as their labels are
    drawn in the language active when they are first drawn."""

    def __init__(self, attrs: dict[str, Any] | None = None, choices: Any = ()) -> None:
        self._options: dict[tuple[str, ...], str] = {}
        super().__init__(attrs, choices)

    @property  # type: ignore[override]
    def choices(self) -> Any:
        return self._choices

    @choices.setter
    def choices(self, value: Any) -> None:
        self._choices = value
        self._options = {}  # they were drawn from other choices

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None,
               renderer: Any = None) -> SafeString:
        start = f'<select name="{escape(name)}"{attributes(self.build_attrs(self.attrs, attrs))}>'
        key = tuple(self.format_value(value))
        options = self._options.get(key)
        if options is None:
            markup = super().render(name, value, attrs, renderer)
            if not (markup.startswith(start) and markup.endswith("</select>")):
                return markup  # not the plain markup (option groups, multiple): nothing to keep
            options = self._options[key] = markup[len(start):-len("</select>")]
        return mark_safe(f"{start}{options}</select>")  # noqa: S308 (made of escaped parts)


class RowTextarea(QuickTextarea):
    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None,
               renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        return mark_safe(f'<textarea name="{escape(widget["name"])}"{attributes(widget["attrs"])}>'  # noqa: S308
                         f'\n{escape(widget["value"] or "")}</textarea>')


class RowInputMixin:
    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None,
               renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]  # type: ignore[attr-defined]
        shown = "" if widget["value"] is None else f' value="{escape(widget["value"])}"'
        return mark_safe(f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"'  # noqa: S308
                         f'{shown}{attributes(widget["attrs"])}>')


class RowHiddenInput(RowInputMixin, QuickHiddenInput):
    pass


class RowCheckboxInput(RowInputMixin, QuickCheckboxInput):
    pass
