"""WCAG contrast ratios: the extremes, symmetry, and known pairs."""

from __future__ import annotations

import pytest

from credit_core.contrast import contrast_ratio, relative_luminance


def test_the_extremes() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == 21.0
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == 1.0
    assert relative_luminance("#000000") == 0.0 and relative_luminance("#FFFFFF") == 1.0


def test_the_order_of_the_colours_does_not_matter() -> None:
    assert contrast_ratio("#0072B2", "#FFFFFF") == contrast_ratio("#FFFFFF", "#0072B2")


@pytest.mark.parametrize(("colour", "expected"), [
    ("#767676", 4.54),  # the lightest grey that passes AA for text on white
    ("#777777", 4.48),
    ("#0072B2", 5.19),
])
def test_known_pairs_on_white(colour: str, expected: float) -> None:
    assert contrast_ratio(colour, "#ffffff") == pytest.approx(expected, abs=0.01)
