from collections import Counter

from credit_core.schema.aggregates import AGGREGATES, FAMILY_LABELS
from credit_core.schema.application import APPLICATION_FIELD_NAMES, APPLICATION_FIELDS
from credit_core.schema.features import CATEGORICAL_FEATURES, FEATURES, feature


def test_application_has_the_kaggle_shape() -> None:
    # 122 columns in application_train: these 121 plus TARGET; 41 int (with TARGET), 65 float,
    # 16 object, as pandas reads the real file.
    kinds = Counter(f.kind for f in APPLICATION_FIELDS)
    assert len(APPLICATION_FIELD_NAMES) == 121
    assert kinds == {"int": 40, "float": 65, "category": 16}
    assert APPLICATION_FIELD_NAMES[:4] == (
        "SK_ID_CURR", "NAME_CONTRACT_TYPE", "CODE_GENDER", "FLAG_OWN_CAR")
    assert APPLICATION_FIELD_NAMES[-1] == "AMT_REQ_CREDIT_BUREAU_YEAR"


def test_feature_names_unique_labelled_and_fit_the_databases() -> None:
    names = [f.name for f in FEATURES]
    assert len(names) == len(set(names))
    assert all(f.label and f.family in FAMILY_LABELS for f in FEATURES)
    assert max(len(n) for n in names) <= 63  # PostgreSQL identifier limit
    assert len(names) < 1600  # PostgreSQL column limit


def test_protected_and_actionable_attributes() -> None:
    assert feature("CODE_GENDER").protected and feature("DAYS_BIRTH").protected
    assert feature("NAME_FAMILY_STATUS").protected
    assert feature("AMT_CREDIT").actionable and not feature("AMT_CREDIT").protected
    assert not any(f.protected and f.actionable for f in FEATURES)


def test_every_family_has_english_and_french_labels() -> None:
    assert all(len(pair) == 2 and all(pair) for pair in FAMILY_LABELS.values())


def test_categoricals_are_the_sixteen_application_categories() -> None:
    assert len(CATEGORICAL_FEATURES) == 16
    assert {a.table for a in AGGREGATES} == {
        "bureau", "previous", "pos", "installments", "credit_card"}
