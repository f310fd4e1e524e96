"""POS_CASH_balance.csv: monthly snapshots of previous POS and cash loans.

A loan is followed from the month of its decision to its completion (or to the month before
the application, at most 96 months back): CNT_INSTALMENT_FUTURE counts down from the term,
the last month of a repaid loan says Completed, and late months carry days past due.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from credit_pipeline.data.raw_schema import RAW_TABLES, SENTINEL_DAYS

from .application import Applicants
from .draws import Frame, expand
from .episodes import days_past_due, draw_episodes
from .previous import PreviousApplications

__all__ = ["Loans", "draw_pos_cash", "loans_with_schedule"]

_LEVELS = RAW_TABLES["POS_CASH_balance"].columns[5].levels
_DAYS_PER_MONTH = 30.44


def _status(level: str) -> int:
    return _LEVELS.index(level)


@dataclass(frozen=True)
class Loans:
    """Instalment loans (POS and cash) with the schedule the balance tables follow."""

    row: np.ndarray  # index into the previous applications
    first_due: np.ndarray  # days
    term: np.ndarray  # instalments
    end: np.ndarray  # day of the last payment: the planned one, or the early repayment
    annuity: np.ndarray
    lateness: np.ndarray  # the client's payment lateness plus loan-level noise


def loans_with_schedule(rng: np.random.Generator, previous: PreviousApplications,
                        applicants: Applicants) -> Loans:
    """The loans that have POS snapshots, with the schedule of their instalments."""
    row = np.flatnonzero(previous.has_pos)
    frame = previous.frame
    first_due = frame["DAYS_FIRST_DUE"][row]
    term = np.maximum(frame["CNT_PAYMENT"][row], 1.0)
    last_due = frame["DAYS_LAST_DUE"][row]
    planned = first_due + 30.0 * (term - 1.0)
    end = np.where(last_due < SENTINEL_DAYS, last_due, planned)
    lateness = (applicants.latents.payment_lateness[previous.client[row]]
                + 0.5 * rng.standard_normal(len(row)))
    return Loans(row, first_due, term, end, np.nan_to_num(frame["AMT_ANNUITY"][row]), lateness)


def _statuses(rng: np.random.Generator, loan: np.ndarray, month: np.ndarray,
              completed_in: np.ndarray, first_due_month: np.ndarray, dpd: np.ndarray) -> np.ndarray:
    """Active, with Signed before the first due date, Completed at the end, a few rarities."""
    rows, loans = len(month), len(completed_in)
    status = np.full(rows, _status("Active"), dtype=np.int16)
    signed = (rng.random(loans) < 0.1)[loan] & (month < first_due_month[loan])
    status[signed] = _status("Signed")
    finished = month == completed_in[loan]
    returned = (rng.random(loans) < 0.007)[loan]
    status[finished] = np.where(returned[finished], _status("Returned to the store"),
                                _status("Completed"))
    status[(dpd > 90) & (rng.random(loans) < 0.3)[loan]] = _status("Demand")
    draw = rng.random(rows)
    for level, share in (("Approved", 5e-4), ("Amortized debt", 6.4e-5), ("Canceled", 1.5e-6),
                         ("XNA", 2e-7)):
        status[draw < share] = _status(level)
    return status


def draw_pos_cash(seed: np.random.SeedSequence, loans: Loans,
                  previous: PreviousApplications) -> Frame:
    """Every monthly snapshot of every POS/cash loan, loan by loan.

    A loan whose delinquency never heals is never completed: its snapshots run on to the
    month before the application with DPD growing.
    """
    rng = np.random.default_rng(seed)
    frame = previous.frame
    start = np.maximum(np.floor(frame["DAYS_DECISION"][loans.row] / _DAYS_PER_MONTH), -96.0)
    completed_in = np.floor(loans.end / _DAYS_PER_MONTH) + 1.0
    last = np.clip(np.where(loans.end <= -1, completed_in, -1.0), start, -1.0)
    episodes = draw_episodes(rng, start, last, loans.lateness, chance_at_zero=0.06,
                             never_heals=0.05)
    last = np.where(episodes.never_heals, -1.0, last)
    completed_in = np.where(episodes.never_heals, np.inf, completed_in)
    loan, position = expand((last - start + 1.0).astype(np.int64))
    month = start[loan] + position
    first_due_month = np.floor(loans.first_due / _DAYS_PER_MONTH)
    term = loans.term[loan]
    paid = np.clip(month - first_due_month[loan] + 1.0, 0.0, term)
    future = np.where(month == completed_in[loan], 0.0, term - paid)
    dpd, dpd_def = days_past_due(episodes, loan, month)
    unknown_term = rng.random(len(month)) < 0.0026
    return {
        "SK_ID_PREV": frame["SK_ID_PREV"][loans.row][loan],
        "SK_ID_CURR": frame["SK_ID_CURR"][loans.row][loan],
        "MONTHS_BALANCE": month.astype(np.int64),
        "CNT_INSTALMENT": np.where(unknown_term, np.nan, term),
        "CNT_INSTALMENT_FUTURE": np.where(unknown_term, np.nan, future),
        "NAME_CONTRACT_STATUS": _statuses(rng, loan, month, completed_in, first_due_month, dpd),
        "SK_DPD": dpd,
        "SK_DPD_DEF": dpd_def,
    }
