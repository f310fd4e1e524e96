"""The catalogue (both languages complete), number formats, the form's checks and conversions,
and the colours' contrast."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from credit_core.contrast import contrast_ratio
from ui_service.form import (
    FORM_FIELDS,
    errors_by_field,
    from_application,
    parse_number,
    to_application,
)
from ui_service.i18n import CATALOGUES, amount, feature_label, number, percent, t
from ui_service.views.palette import APPROVAL, BACKGROUND, GRID, REFUSAL, SCORE_SCALE, TEXT

SOURCE = Path(__file__).resolve().parents[1] / "src" / "ui_service"


def test_both_languages_have_the_same_keys_and_no_empty_value() -> None:
    english, french = CATALOGUES["en"], CATALOGUES["fr"]
    assert set(english) == set(french)
    for language, catalogue in CATALOGUES.items():
        assert all(text.strip() for text in catalogue.values()), language
        for key, text in catalogue.items():  # same placeholders in both
            assert set(re.findall(r"{(\w+)}", text)) == set(
                re.findall(r"{(\w+)}", CATALOGUES["en"][key])), (language, key)


def test_every_key_used_in_the_code_exists() -> None:
    used: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        used |= set(re.findall(r'\bt\(\s*"([a-z_]+)"', path.read_text()))
    used |= {f"f_{field.key}" for field in FORM_FIELDS}
    assert used - set(CATALOGUES["en"]) == set()


def test_numbers_follow_the_language() -> None:
    assert number(1234567.891, 1, "en") == "1,234,567.9"
    assert number(1234567.891, 1, "fr") == "1\u202f234\u202f567,9"
    assert percent(0.234, "en") == "23.4%" and percent(0.234, "fr") == "23,4\u202f%"
    assert amount(None) == "—" and number(-3.25, 1) == "−3.2"
    assert feature_label("AMT_CREDIT", "fr") == "Montant du crédit"
    assert t("approved", "fr") == "Acceptée"


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("1 234,5", "fr", 1234.5), ("1,234.5", "en", 1234.5), ("0,65", "fr", 0.65), ("", "en", None),
])
def test_parse_number(text: str, language: str, expected: float | None) -> None:
    assert parse_number(text, language) == expected


def test_errors_name_each_field() -> None:
    errors = errors_by_field({"AMT_CREDIT": "-5", "AMT_INCOME_TOTAL": "", "AGE_YEARS": "abc",
                              "EXT_SOURCE_2": "1.5", "NAME_CONTRACT_TYPE": "Mortgage"}, "en")
    assert errors["AMT_CREDIT"].startswith("Credit amount:")
    assert "required" in errors["AMT_INCOME_TOTAL"]
    assert errors["AGE_YEARS"].startswith("Age (years):")
    assert "0.000 to 1.000" in errors["EXT_SOURCE_2"]
    assert "choose" in errors["NAME_CONTRACT_TYPE"]
    french = errors_by_field({"AMT_CREDIT": "100", "AMT_ANNUITY": "200",
                              "AMT_INCOME_TOTAL": "1", "AGE_YEARS": "40"}, "fr")
    assert french == {"AMT_ANNUITY": "Échéance (remboursement annuel) : l'échéance ne peut "
                                     "pas dépasser le montant du crédit."}


def test_form_round_trip() -> None:
    application = {"AMT_CREDIT": 450000.0, "AMT_INCOME_TOTAL": 180000.0, "DAYS_BIRTH": -14975,
                   "DAYS_EMPLOYED": 365243, "EXT_SOURCE_2": 0.61, "NAME_CONTRACT_TYPE": "Cash loans",
                   "EXT_SOURCE_1": None}
    values = from_application(application, "fr")
    assert values["AGE_YEARS"] == "41" and values["YEARS_EMPLOYED"] == ""
    assert values["EXT_SOURCE_2"] == "0,61" and values["EXT_SOURCE_1"] == ""
    back = to_application(values, None, "fr")
    assert back["AMT_CREDIT"] == 450000.0 and back["DAYS_EMPLOYED"] == 365243
    assert back["EXT_SOURCE_2"] == 0.61 and "EXT_SOURCE_1" not in back
    assert back["DAYS_BIRTH"] == -14975


def test_colours_contrast() -> None:
    assert contrast_ratio(TEXT, BACKGROUND) >= 4.5
    for mark in (APPROVAL, REFUSAL, GRID, *[colour for _, colour in SCORE_SCALE]):
        assert contrast_ratio(mark, BACKGROUND) >= 3.0
    assert contrast_ratio("#FFFFFF", APPROVAL) >= 4.5 and contrast_ratio("#FFFFFF", REFUSAL) >= 4.5
