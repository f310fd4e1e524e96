"""Bad uploads are refused with the reason (4xx) and store nothing."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient

from monitoring_service.main import create_app
from monitoring_service.uploads import UploadError, read_upload

from .conftest import as_csv, as_parquet, batch, bearer, count_runs, sqlite_service_db, upload


@pytest.fixture
def service_db(sqlite_url):  # type: ignore[no-untyped-def]
    return sqlite_service_db(sqlite_url)  # nothing here depends on the database engine


def test_bad_uploads_are_refused_with_reasons_and_store_nothing(client, service_db) -> None:  # type: ignore[no-untyped-def]
    key = service_db.keys["ops"]
    good = batch(50, seed=3)
    wrong_types = good.astype(object)
    wrong_types.loc[7, "AMT_CREDIT"] = "lots"
    infinite = good.copy()
    infinite.loc[2, "PAYMENT_RATE"] = np.inf
    cases = [
        (as_csv(good.drop(columns=["EXT_SOURCE_1", "DAYS_BIRTH"])), "batch.csv", 422,
         ["missing columns", "'EXT_SOURCE_1'", "'DAYS_BIRTH'"]),
        (as_csv(good.assign(SK_ID_CURR=1, NOTE=2)), "batch.csv", 422,
         ["unexpected columns", "'SK_ID_CURR'", "'NOTE'"]),
        (as_csv(wrong_types), "batch.csv", 422, ["'AMT_CREDIT'", "non-numeric", "row 8", "lots"]),
        (as_parquet(good.astype({"CODE_GENDER": str})), "batch.parquet", 422,
         ["'CODE_GENDER'", "non-numeric"]),
        (as_csv(infinite), "batch.csv", 422, ["infinite", "'PAYMENT_RATE'"]),
        (b"", "empty.csv", 422, ["empty"]),
        (as_csv(good.iloc[:0]), "header.csv", 422, ["no rows"]),
        (as_parquet(good.iloc[:0]), "header.parquet", 422, ["no rows"]),
        (b"PAR1 this is not parquet", "broken.parquet", 422, ["Parquet"]),
        (as_csv(pd.DataFrame({c: [np.nan] * 5 for c in good.columns})), "nan.csv", 422,
         ["no column has values"]),
    ]
    for content, name, status, fragments in cases:
        response = upload(client, key, content, name)
        assert response.status_code == status, (name, fragments, response.text)
        for fragment in fragments:
            assert fragment in response.text, (fragment, response.text)
    no_file = client.post("/v1/drift/runs", data={"options": "{}"}, headers=bearer(key),
                          files={"other": ("x.csv", b"a")})
    assert no_file.status_code == 422 and "'file'" in no_file.text
    bad_options = upload(client, key, as_csv(good), options={"method": "nope"})
    assert bad_options.status_code == 422 and "options" in bad_options.text
    text = client.post("/v1/drift/runs", content=b"a,b", headers=bearer(key) | {
        "Content-Type": "text/csv"})
    assert text.status_code == 415
    assert count_runs(service_db.url) == 0


def test_too_large_uploads_are_413(make_settings, service_db) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings(max_current_rows=40, max_body_bytes=64 * 1024)
    key = service_db.keys["ops"]
    with TestClient(create_app(settings)) as client:
        rows = upload(client, key, as_csv(batch(41, seed=1)))
        assert rows.status_code == 413 and "41 rows" in rows.text and "40" in rows.text
        big = upload(client, key, as_csv(batch(2000, seed=1)))
        assert big.status_code == 413 and "larger than" in big.text
        assert upload(client, key, as_csv(batch(40, seed=1))).status_code == 201
    assert count_runs(service_db.url) == 1


@pytest.mark.parametrize("make", [as_csv, as_parquet])
def test_read_upload_returns_the_features_in_model_order(make) -> None:  # type: ignore[no-untyped-def]
    frame = batch(30, seed=2)
    features = list(frame.columns)
    shuffled = frame[features[::-1]].assign(CODE_GENDER=lambda f: f["CODE_GENDER"].astype(int))
    read = read_upload(io.BytesIO(make(shuffled)), features, max_rows=100)
    assert list(read.columns) == features and (read.dtypes == np.float64).all()
    pd.testing.assert_frame_equal(read, frame, check_dtype=False)
    with pytest.raises(UploadError, match=r"unexpected columns: 'EXT_SOURCE_1\.1'"):  # pandas renames
        read_upload(io.BytesIO(b"EXT_SOURCE_1,EXT_SOURCE_1\n1,2\n"), ["EXT_SOURCE_1"], 10)
