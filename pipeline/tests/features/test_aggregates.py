import numpy as np
import pytest

from credit_core.schema.aggregates import AGGREGATES
from credit_pipeline.features.aggregates import build_aggregates, prepare_tables


def test_every_spec_column_exists_after_preparation(raw) -> None:  # type: ignore[no-untyped-def]
    prepared = prepare_tables(raw)
    for spec in AGGREGATES:
        if spec.column is not None:
            assert spec.column in prepared[spec.table], spec.name
        if spec.subset is not None:
            assert spec.subset in prepared[spec.table], spec.name


def test_values(raw) -> None:  # type: ignore[no-untyped-def]
    agg = build_aggregates(raw)
    one, two = agg.loc[1], agg.loc[2]
    assert list(agg.columns) == [a.name for a in AGGREGATES]
    assert one["BURO_COUNT"] == 2 and one["ACTIVE_COUNT"] == 1 and one["CLOSED_COUNT"] == 1
    assert one["BURO_DAYS_CREDIT_MEAN"] == -500
    assert one["ACTIVE_DAYS_CREDIT_MAX"] == -100 and one["CLOSED_DAYS_CREDIT_MAX"] == -900
    assert one["BURO_IS_MICROLOAN_MEAN"] == 0.5
    assert one["BURO_STATUS_LATE_SHARE_MEAN"] == pytest.approx((0.5 + 0.0) / 2)
    assert one["BURO_MONTHS_BALANCE_SIZE_MEAN"] == 1.5
    assert one["BURO_CREDIT_DAY_OVERDUE_MAX"] == 30
    assert one["PREV_IS_REFUSED_MEAN"] == 0.5 and two["PREV_IS_REFUSED_MEAN"] == 1.0
    assert one["PREV_IS_REJECT_SCOFR_MEAN"] == 0.5 and two["PREV_IS_REJECT_HC_MEAN"] == 1.0
    assert one["APPROVED_COUNT"] == 1 and np.isnan(two["APPROVED_COUNT"])
    assert one["REFUSED_DAYS_DECISION_MAX"] == -10
    # APP_CREDIT_PERC: 900/1000 and 500/0 (infinite -> missing)
    assert one["PREV_APP_CREDIT_PERC_MEAN"] == pytest.approx(0.9)
    assert one["INSTAL_DPD_MEAN"] == pytest.approx(2.5)  # 5 days late, then 3 days early
    assert one["INSTAL_DBD_MAX"] == 3
    assert one["INSTAL_PAYMENT_PERC_MEAN"] == pytest.approx(0.75)
    assert one["INSTAL_IS_UNDERPAID_MEAN"] == 0.5 and one["INSTAL_IS_LATE_MEAN"] == 0.5
    assert one["INSTAL_NUM_INSTALMENT_VERSION_NUNIQUE"] == 2
    assert one["POS_SK_DPD_MAX"] == 4 and one["POS_IS_COMPLETED_MEAN"] == 0.5
    assert one["CC_UTILISATION_MAX"] == 0.5  # the zero-limit month does not count
    assert one["CC_IS_LATE_MEAN"] == 0.5
    # client 2 has no bureau, POS, instalment or card records: missing, like a new applicant
    assert np.isnan(two["BURO_COUNT"]) and np.isnan(two["INSTAL_DPD_MEAN"])
