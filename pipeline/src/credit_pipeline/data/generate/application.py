"""application_train / application_test: every applicant's columns, latents and outcome."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .applicant import draw_age, draw_person
from .building import draw_building
from .circumstances import draw_circumstances
from .draws import Frame
from .loan_terms import draw_loan
from .risk import (
    Latents,
    calibrate_intercept,
    draw_latents,
    draw_outcomes,
    log_odds_without_intercept,
)
from .scores import draw_scores

__all__ = ["FULL_TEST_ROWS", "FULL_TRAIN_ROWS", "Applicants", "draw_applicants", "test_rows"]

FULL_TRAIN_ROWS = 307_511
FULL_TEST_ROWS = 48_744
_FIRST_ID = 100_001
_ID_SPAN = 356_255  # 100001..456255: the real train and test ids fill this range


@dataclass(frozen=True)
class Applicants:
    """Train and test applicants together, sorted by SK_ID_CURR."""

    frame: Frame  # the application columns (categoricals as codes), TARGET excluded
    is_test: np.ndarray
    latents: Latents
    default_probability: np.ndarray
    outcome: np.ndarray  # TARGET for train rows, a realised outcome for test rows

    @property
    def ids(self) -> np.ndarray:
        """SK_ID_CURR of every applicant, train and test together."""
        return self.frame["SK_ID_CURR"]


def test_rows(train_rows: int) -> int:
    """Rows of application_test for ``train_rows`` rows of application_train."""
    return round(train_rows * FULL_TEST_ROWS / FULL_TRAIN_ROWS)


def _ids_and_split(rng: np.random.Generator, train_rows: int) -> tuple[np.ndarray, np.ndarray]:
    """Disjoint, interleaved train and test ids drawn from the real id range."""
    total = train_rows + test_rows(train_rows)
    span = max(_ID_SPAN, total)
    ids = _FIRST_ID + np.sort(rng.choice(span, total, replace=False)).astype(np.int64)
    is_test = np.zeros(total, dtype=bool)
    is_test[rng.choice(total, total - train_rows, replace=False)] = True
    return ids, is_test


def _outcomes(rng: np.random.Generator, log_odds: np.ndarray,
              is_test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The oracle probability (intercept calibrated on train) and drawn outcomes per split."""
    intercept = calibrate_intercept(log_odds[~is_test])
    probability = 1.0 / (1.0 + np.exp(-(log_odds + intercept)))
    outcome = np.empty(len(probability), dtype=np.int64)
    for rows in (~is_test, is_test):
        outcome[rows] = draw_outcomes(rng, probability[rows])
    return probability, outcome


def draw_applicants(seed: np.random.SeedSequence, train_rows: int) -> Applicants:
    """Draw every applicant of both files, with latents, true probability and outcome."""
    streams = [np.random.default_rng(s) for s in seed.spawn(8)]
    ids, is_test = _ids_and_split(streams[0], train_rows)
    age = draw_age(streams[1], len(ids))
    latents = draw_latents(streams[1], age)
    frame: Frame = {"SK_ID_CURR": ids}
    frame.update(draw_person(streams[2], age, latents, is_test))
    frame.update(draw_loan(streams[3], frame, latents, is_test))
    frame.update(draw_circumstances(streams[4], frame, latents, is_test))
    frame.update(draw_scores(streams[5], frame, latents, is_test))
    frame.update(draw_building(streams[6], latents))
    probability, outcome = _outcomes(streams[7], log_odds_without_intercept(frame, latents),
                                     is_test)
    return Applicants(frame, is_test, latents, probability, outcome)
