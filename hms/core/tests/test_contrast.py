"""Contrast that axe cannot measure (issue 14): text on the risk colours of the heat map and the
badges, whose backgrounds are patterns; the chart's text; and the focus ring on every background.
WCAG 2.1: 4.5:1 for text (1.4.3), 3:1 for a focus indicator against what is next to it (1.4.11)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CSS = (ROOT / "hms" / "static" / "css" / "hms.css").read_text()
TEXT, NON_TEXT = 4.5, 3.0
Colour = tuple[float, float, float]


def rgb(hex_colour: str) -> Colour:
    value = hex_colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def luminance(colour: Colour) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: Colour, b: Colour) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def custom_properties() -> dict[str, str]:
    root = re.search(r":root\s*{([^}]*)}", CSS)
    assert root is not None
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{3,6})", root.group(1)))


def resolve(value: str) -> Colour:
    found = re.fullmatch(r"var\(--([\w-]+)\)", value.strip())
    return rgb(custom_properties()[found.group(1)] if found else value.strip())


def rule(selector: str) -> str:
    found = re.search(rf"(?:^|\n){re.escape(selector)}\s*{{([^}}]*)}}", CSS)
    assert found is not None, f"hms.css has no rule {selector}"
    return found.group(1)


def backgrounds(declarations: str) -> list[Colour]:
    """The base colour and, over it, the darkest point of a pattern of translucent black."""
    background = re.search(r"background:\s*([^;]+)", declarations)
    assert background is not None
    base = rgb(re.search(r"#[0-9a-fA-F]{3,6}", background.group(1)).group(0))  # type: ignore[union-attr]
    alphas = [float(a) for a in re.findall(r"rgba\(0,\s*0,\s*0,\s*([\d.]+)\)", background.group(1))]
    darkest = max(alphas, default=0.0)
    return [base, tuple(c * (1 - darkest) for c in base)]  # type: ignore[list-item]


def matrix_colours() -> list[str]:
    codes = []
    for path in sorted((ROOT / "hms" / "risk" / "data").glob("*.json")):
        codes += [colour["code"] for colour in json.loads(path.read_text()).get("colours", [])]
    assert codes, "no matrix defines colours"
    return sorted(set(codes))


@pytest.mark.parametrize("code", matrix_colours())
def test_text_on_each_risk_colour_has_contrast(code):
    declarations = rule(f".risk-{code}")
    text = re.search(r"(?:^|[;\s])color:\s*([^;]+)", declarations)
    assert text is not None, f".risk-{code} must set its text colour"
    for background in backgrounds(declarations):
        ratio = contrast(resolve(text.group(1)), background)
        assert ratio >= TEXT, f"text on .risk-{code} is {ratio:.2f}:1"


def test_the_charts_text_has_contrast_on_its_card():
    template = (ROOT / "hms" / "templates" / "deviations" / "statistics.html").read_text()
    fills = re.findall(r'<text[^>]*\bfill="(#[0-9a-fA-F]{3,6})"', template)
    assert fills, "the chart has no text"
    for fill in fills:
        ratio = contrast(rgb(fill), resolve("var(--card)"))
        assert ratio >= TEXT, f"chart text {fill} is {ratio:.2f}:1 on the card"


@pytest.mark.parametrize("background", ["--card", "--bg", "--brand", "--info-bg", "--bad-bg"])
def test_the_focus_ring_stands_out_on_every_background(background):
    focus = re.search(r"(?:^|\n)a:focus,[^{]*{([^}]*)}", CSS)
    assert focus is not None, "hms.css has no focus rule"
    ring = re.search(r"outline:\s*\S+\s+solid\s+([^;]+)", focus.group(1))
    halo = re.search(r"box-shadow:[^;]*\s(var\(--[\w-]+\)|#[0-9a-fA-F]{3,6})", focus.group(1))
    assert ring is not None
    ground = resolve(f"var({background})")
    best = max(contrast(resolve(found.group(1)), ground) for found in (ring, halo) if found)
    assert best >= NON_TEXT, f"the focus ring is {best:.2f}:1 on {background}"
