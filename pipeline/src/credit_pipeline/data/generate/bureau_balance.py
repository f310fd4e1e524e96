"""bureau_balance.csv: the monthly status of bureau credits (C closed, X unknown, 0-5 DPD).

Each credit with a history gets a contiguous run of months, newest first, mostly ending at the
application month (0). Open months are 0 (or X when the bureau did not know), months after the
credit closed are C, and a delinquent streak shows as a run 1, 2, 3 ... that, for the worst
credits, ends written off (5) and stays there.
"""

from __future__ import annotations

import numpy as np

from credit_pipeline.data.raw_schema import RAW_TABLES

from .application import Applicants
from .bureau import BureauCredits
from .draws import Frame, expand, weighted_choice

__all__ = ["draw_bureau_balance"]

_STATUS_LEVELS = RAW_TABLES["bureau_balance"].columns[2].levels
_DAYS_PER_MONTH = 30.44
_EPISODE_LENGTHS = (0.85, 0.1, 0.03, 0.02)  # months of a streak that heals: 1, 2, 3, 4


_ACTIVE = RAW_TABLES["bureau"].columns[2].levels.index("Active")


def _code(level: str) -> int:
    return _STATUS_LEVELS.index(level)


def _credits(rng: np.random.Generator, bureau: BureauCredits,
             applicants: Applicants) -> dict[str, np.ndarray]:
    """Per credit with a history (linked ones, then orphans copied from random linked ones)."""
    linked = np.flatnonzero(bureau.has_history)
    orphans = len(bureau.orphan_ids) if linked.size else 0
    source = np.concatenate([linked, rng.choice(linked, orphans)])
    ids = np.concatenate([bureau.frame["SK_ID_BUREAU"][linked], bureau.orphan_ids[:orphans]])
    order = np.argsort(ids, kind="stable")
    source, ids = source[order], ids[order]
    frame = bureau.frame
    closed = frame["CREDIT_ACTIVE"][source] != _ACTIVE
    fact = np.nan_to_num(frame["DAYS_ENDDATE_FACT"][source], nan=-1.0)
    return {
        "id": ids,
        "opened": np.maximum(np.floor(frame["DAYS_CREDIT"][source] / _DAYS_PER_MONTH), -96),
        "closed_month": np.where(closed, np.floor(fact / _DAYS_PER_MONTH), 1.0),
        "delinquency": applicants.latents.bureau_delinquency[bureau.client[source]]
        + 0.5 * rng.standard_normal(source.size),
    }


def _last_months(rng: np.random.Generator, credits: dict[str, np.ndarray]) -> np.ndarray:
    """Most runs reach the application month; the others stop some time after opening."""
    n = len(credits["id"])
    stopped = credits["opened"] + np.floor(rng.random(n) * (1.0 - credits["opened"]))
    return np.where(rng.random(n) < 0.75, 0.0, stopped)


def _streaks(rng: np.random.Generator, credits: dict[str, np.ndarray],
             last: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per credit: first month of a delinquent streak (NaN: none), its length, written off."""
    n = len(last)
    chance = 1.0 / (1.0 + np.exp(-(-1.7 + 1.1 * credits["delinquency"])))
    open_end = np.minimum(last, credits["closed_month"])
    span = np.maximum(open_end - credits["opened"] + 1.0, 1.0)
    start = credits["opened"] + np.floor(rng.random(n) * span)
    start = np.where(rng.random(n) < chance, start, np.nan)
    length = 1.0 + weighted_choice(rng, _EPISODE_LENGTHS, n)
    written_off = rng.random(n) < 0.015 + 0.04 * (credits["delinquency"] > 1.5)
    return start, np.where(written_off, np.inf, length), written_off


def draw_bureau_balance(seed: np.random.SeedSequence, bureau: BureauCredits,
                        applicants: Applicants) -> Frame:
    """Every month of every bureau credit with a history, credits in SK_ID_BUREAU order."""
    rng = np.random.default_rng(seed)
    credits = _credits(rng, bureau, applicants)
    last = _last_months(rng, credits)
    start, length, written_off = _streaks(rng, credits, last)
    unknown = rng.random(len(last)) < 0.35
    closed_as_unknown = rng.random(len(last)) < 0.1
    credit, position = expand((last - credits["opened"] + 1.0).astype(np.int64))
    month = last[credit] - position
    in_streak = (month >= start[credit]) & (month < start[credit] + length[credit])
    cap = np.where(written_off[credit], 5.0, 4.0)
    dpd_level = np.clip(np.nan_to_num(month - start[credit] + 1.0, nan=1.0), 1.0, cap)
    status = np.where(unknown[credit] | (rng.random(len(month)) < 0.05), _code("X"),
                      _code("0"))
    after_close = np.where(closed_as_unknown[credit], _code("X"), _code("C"))
    status = np.where(month > credits["closed_month"][credit], after_close, status)
    dpd_codes = np.array([_code(str(level)) for level in range(1, 6)])
    status = np.where(in_streak, dpd_codes[dpd_level.astype(np.int64) - 1], status)
    return {"SK_ID_BUREAU": credits["id"][credit], "MONTHS_BALANCE": month.astype(np.int64),
            "STATUS": status.astype(np.int16)}
