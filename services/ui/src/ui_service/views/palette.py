"""Colours of the dashboard, checked for contrast (WCAG 2.1: text 4.5:1, chart marks 3:1; the
tests hold them to it with ``credit_core.contrast``).

Okabe-Ito hues, darkened where needed, safe for colour-blind readers. Colour never carries
meaning alone: bars toward refusal and defaulted clients are also hatched or drawn as crosses,
and every chart has its numbers in a table beside it.
"""

from __future__ import annotations

__all__ = ["APPLICANT", "APPROVAL", "BACKGROUND", "GRID", "REFUSAL", "SCORE_SCALE", "TEXT"]

BACKGROUND = "#FFFFFF"
TEXT = "#1A1A1A"
GRID = "#6B6B6B"
APPROVAL = "#005A8F"  # Okabe-Ito blue, darkened: repaid clients, factors toward approval
REFUSAL = "#B03A00"  # Okabe-Ito vermillion, darkened: defaulted clients, toward refusal
APPLICANT = "#000000"
#: Low to high probability of default: every step contrasts 3:1 with the background.
SCORE_SCALE = [[0.0, "#005A8F"], [0.5, "#6A3D9A"], [1.0, "#B03A00"]]
