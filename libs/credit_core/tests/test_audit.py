"""The audit vectors: exact round trip, compact, and vectors stored by earlier versions still read."""

from __future__ import annotations

import zlib

import numpy as np

from credit_core.audit import pack_vector, unpack_matrix, unpack_vector


def _vector() -> np.ndarray:
    values = np.random.default_rng(3).normal(size=287) * 1e5
    values[::5] = np.nan
    values[1], values[2], values[3] = np.inf, -0.0, 5e-324
    return values


def test_round_trip_is_exact_including_nan_infinity_and_signed_zero() -> None:
    values = _vector()
    back = unpack_vector(pack_vector(values))
    assert back.dtype == np.float64 and back.shape == values.shape
    np.testing.assert_array_equal(back, values)
    assert np.signbit(back[2]) and back[3] == 5e-324


def test_packed_vectors_are_compact() -> None:
    values = np.round(_vector(), 0)
    values[::2] = np.nan  # as in real vectors: many missing aggregates
    assert len(pack_vector(values)) < 0.6 * values.nbytes


def test_vectors_stored_by_earlier_versions_as_zlib_still_read() -> None:
    values = _vector()
    old = zlib.compress(values.astype("<f8").tobytes(), 1)
    np.testing.assert_array_equal(unpack_vector(old), values)
    np.testing.assert_array_equal(unpack_vector(memoryview(old)), values)


def test_matrix_of_mixed_formats_keeps_row_order_and_names() -> None:
    first, second = _vector(), _vector() * 2
    blobs = [pack_vector(first), zlib.compress(second.astype("<f8").tobytes(), 1)]
    frame = unpack_matrix(blobs, [f"f{i}" for i in range(287)])
    assert list(frame.columns[:2]) == ["f0", "f1"]
    np.testing.assert_array_equal(frame.to_numpy(), np.vstack([first, second]))
    assert unpack_matrix([], ["a", "b"]).shape == (0, 2)
