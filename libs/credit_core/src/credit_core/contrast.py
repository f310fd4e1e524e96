"""WCAG 2.1 contrast of two colours: text needs 4.5:1, chart marks and large text 3:1.

Pure functions, no dependency: the dashboard's palette and explain's images check their
colours with them.
"""

from __future__ import annotations

__all__ = ["contrast_ratio", "relative_luminance"]


def relative_luminance(colour: str) -> float:
    """The WCAG relative luminance of a ``#RRGGBB`` colour (0 black, 1 white)."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """The WCAG contrast ratio of two ``#RRGGBB`` colours, from 1 (none) to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)),
                             reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
