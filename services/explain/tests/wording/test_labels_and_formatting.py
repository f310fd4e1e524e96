"""French labels for every feature; values written for people in both languages."""

from __future__ import annotations

import pytest

from credit_core.schema.aggregates import AGGREGATES
from credit_core.schema.features import FEATURES, feature
from credit_core.schema.labels_fr import FRENCH_LABELS, french_label
from explain_service.wording.formatting import display, unit_of

NNBSP = "\u202f"


def test_every_feature_has_a_french_label() -> None:
    missing = [f.name for f in FEATURES if not FRENCH_LABELS.get(f.name)]
    assert missing == []
    assert set(FRENCH_LABELS) == {f.name for f in FEATURES}
    same = [f.name for f in FEATURES if FRENCH_LABELS[f.name] == f.label]
    assert same == []  # translated, not copied
    assert len(set(FRENCH_LABELS.values())) == len(FRENCH_LABELS)  # no two alike
    assert french_label("INSTAL_DPD_MEAN") == "Jours payés en retard, moyenne (échéances)"
    assert french_label("BURO_COUNT") == "Nombre de crédits au bureau"
    assert french_label("AMT_CREDIT") == "Montant du crédit"
    with pytest.raises(KeyError):
        french_label("NOT_A_FEATURE")


def test_every_feature_gets_a_unit_and_every_aggregate_reads() -> None:
    units = {f.name: unit_of(f) for f in FEATURES}
    assert units["AMT_CREDIT"] == "amount" and units["DAYS_BIRTH"] == "days_ago"
    assert units["CODE_GENDER"] == "category" and units["FLAG_OWN_CAR"] == "category"
    assert units["FLAG_MOBIL"] == "flag" and units["EXT_SOURCE_2"] == "score"
    assert units["PAYMENT_RATE"] == "share" and units["CREDIT_TERM"] == "years"
    assert units["INSTAL_DPD_MEAN"] == "days" and units["PREV_IS_REFUSED_MEAN"] == "share"
    assert units["BURO_COUNT"] == "count" and units["BURO_DAYS_CREDIT_MEAN"] == "days_ago"
    assert units["CC_AMT_BALANCE_MEAN"] == "amount" and units["POS_MONTHS_BALANCE_MAX"] == "months"
    assert len(AGGREGATES) == sum(1 for f in FEATURES if f.source == "aggregate")


@pytest.mark.parametrize("name, value, english, french", [
    ("AMT_CREDIT", 1234567.0, "1,234,567", f"1{NNBSP}234{NNBSP}567"),
    ("DAYS_BIRTH", -12000.0, "32.9 years", "32,9 ans"),
    ("DAYS_EMPLOYED", -200.0, "200 days", "200 jours"),
    ("PAYMENT_RATE", 0.05, "5.0%", f"5,0{NNBSP}%"),
    ("ANNUITY_INCOME_RATIO", 0.25, "25%", f"25{NNBSP}%"),
    ("CREDIT_INCOME_RATIO", 3.94, "3.9 times", "3,9 fois"),
    ("CODE_GENDER", 1.0, "M", "M"),
    ("NAME_FAMILY_STATUS", 0.0, "Married", "Married"),
    ("FLAG_MOBIL", 1.0, "yes", "oui"),
    ("EXT_SOURCE_2", 0.4567, "0.46", "0,46"),
    ("INSTAL_DPD_MEAN", 12.0, "12 days", "12 jours"),
    ("BURO_COUNT", 3.0, "3", "3"),
    ("HOUR_APPR_PROCESS_START", 14.0, "14:00", "14 h"),
    ("EXT_SOURCE_1", float("nan"), "not provided", "non renseigné"),
])
def test_values_are_written_for_people(name, value, english, french) -> None:  # type: ignore[no-untyped-def]
    schema = feature(name)
    assert display(value, unit_of(schema), schema.levels) == {"en": english, "fr": french}
