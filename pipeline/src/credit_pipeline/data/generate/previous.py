"""previous_application.csv: the applicants' earlier applications at Home Credit.

The refusal-propensity latent decides who gets refused (and why: SCOFR and HC more often for the
riskiest). Card holders' cards and a few loans that only the balance tables know about
("hidden" rows, the real files' orphans) are drawn here too, so that every balance row can be
traced to a loan with a schedule.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from credit_pipeline.data.raw_schema import SENTINEL_DAYS

from .application import Applicants
from .draws import Frame, by_split, expand, quantile_map, tilted_choice, weighted_choice
from .previous_products import (
    CASH,
    CONSUMER,
    REVOLVING,
    UNKNOWN_CONTRACT,
    code,
    draw_amounts,
    draw_labels,
)

__all__ = ["PreviousApplications", "draw_previous"]

#: Share of applicants with previous applications, and with a credit card: train, test.
PREVIOUS_COVERAGE = (0.9465, 0.9806)
CARD_COVERAGE = (0.283, 0.342)
_MEAN_APPLICATIONS = 4.93
_HIDDEN_CARD_SHARE = 0.06  # cards absent from previous_application (with the clients
# without applications, about 11 % of the cards)
_HIDDEN_LOAN_SHARE = 0.042  # POS/cash loans absent from previous_application
# Days back of the decision: the overall quartiles come out at the documented 280, 581, 1300
# once granted loans are pushed further back (see draw_previous).
_DECISION_DAYS = ((0.0, 1.0), (0.05, 82.0), (0.25, 272.0), (0.5, 507.0), (0.75, 1161.0),
                  (0.95, 2450.0), (1.0, 2922.0))
_CARD_DECISION_DAYS = ((0.0, 40.0), (0.5, 1000.0), (1.0, 2922.0))
_KINDS = (0.49, 0.43, 0.08, 0.0002)  # cash, consumer, revolving, XNA (cards drawn apart)
# Per contract type: share refused, then among the others the share cancelled and unused.
_REFUSED = {CASH: 0.3, CONSUMER: 0.1, REVOLVING: 0.5}
_CANCELLED = {CASH: 0.57, CONSUMER: 0.067, REVOLVING: 0.7, UNKNOWN_CONTRACT: 1.0}
_UNUSED = {CASH: 0.024, CONSUMER: 0.028, REVOLVING: 0.02, UNKNOWN_CONTRACT: 0.0}
# Reject reasons of refused applications (HC .. SYSTEM) and their lean on refusal propensity.
_REASONS = ((175231, 0.3), (55680, 0.1), (37467, 0.0), (12811, 0.7), (5244, 0.0),
            (3535, 0.0), (717, 0.0))
_ID_BASE, _ID_SPAN = 1_000_001, 1_845_382


@dataclass(frozen=True)
class PreviousApplications:
    """All previous applications, hidden rows included, and which have balance rows."""

    frame: Frame
    client: np.ndarray  # index into the applicants
    hidden: np.ndarray  # absent from previous_application.csv (orphans of the balance tables)
    has_pos: np.ndarray  # has monthly POS/cash snapshots (and instalments)
    in_card_table: np.ndarray  # has monthly credit-card snapshots
    file_order: np.ndarray  # the visible rows, in the (random) order of the file


def _applications_per_client(rng: np.random.Generator, applicants: Applicants) -> np.ndarray:
    age_std = (-applicants.frame["DAYS_BIRTH"] / 365.25 - 43.0) / 12.0
    n = len(age_std)
    has_any = rng.random(n) < by_split(applicants.is_test, PREVIOUS_COVERAGE)
    extra_mean = (_MEAN_APPLICATIONS - 1.0) * np.exp(0.15 * age_std)
    extra = rng.negative_binomial(1.0, 1.0 / (1.0 + extra_mean))
    return np.where(has_any, np.minimum(1 + extra, 77), 0)


def _rows(rng: np.random.Generator, applicants: Applicants) -> Frame:
    """Client, contract type and flags per row: visible rows, then hidden cards and loans."""
    counts = _applications_per_client(rng, applicants)
    n = len(counts)
    card_holder = rng.random(n) < by_split(applicants.is_test, CARD_COVERAGE)
    linked = card_holder & (counts > 0) & (rng.random(n) > _HIDDEN_CARD_SHARE)
    counts = np.where(linked, np.maximum(counts, 2), counts)  # the card and a loan
    client, position = expand(counts)
    chosen = np.floor(rng.random(n) * counts)
    card_row = linked[client] & (position == chosen[client])
    # Nearly every client with applications got at least one loan: an "anchor" loan.
    anchor_position = np.where(linked, (chosen + 1) % np.maximum(counts, 1), 0)
    anchor = (position == anchor_position[client]) & ~card_row
    kind = np.where(card_row, REVOLVING, weighted_choice(rng, _KINDS, len(client)))
    kind = np.where(anchor, np.where(rng.random(len(client)) < 0.5, CASH, CONSUMER), kind)
    hidden_cards = np.flatnonzero(card_holder & ~linked)
    loans = rng.choice(n, round(_HIDDEN_LOAN_SHARE * 0.57 * len(client)))
    hidden_kinds = np.where(rng.random(len(loans)) < 0.3, CASH, CONSUMER)
    return {
        "client": np.concatenate([client, hidden_cards, loans]),
        "kind": np.concatenate([kind, np.full(len(hidden_cards), REVOLVING), hidden_kinds]),
        "hidden": np.repeat([False, True, True], [len(client), len(hidden_cards),
                                                  len(loans)]),
        "card": np.concatenate([card_row, np.ones(len(hidden_cards), dtype=bool),
                                np.zeros(len(loans), dtype=bool)]),
        "anchor": np.concatenate([anchor, np.zeros(len(hidden_cards) + len(loans), bool)]),
    }


def _statuses(rng: np.random.Generator, rows: Frame, refusal: np.ndarray) -> np.ndarray:
    """NAME_CONTRACT_STATUS: refusals ranked by refusal propensity within each contract type."""
    n = len(refusal)
    kind = rows["kind"]
    free = ~rows["hidden"] & ~rows["card"] & ~rows["anchor"]  # the others are approved
    status = np.full(n, code("NAME_CONTRACT_STATUS", "Approved"), dtype=np.int16)
    score = 1.3 * refusal + rng.logistic(size=n)
    draw = rng.random(n)
    for contract in (CASH, CONSUMER, REVOLVING, UNKNOWN_CONTRACT):
        rows_of_kind = np.flatnonzero(free & (kind == contract))
        refused = np.zeros(len(rows_of_kind), dtype=bool)
        if contract in _REFUSED and rows_of_kind.size:
            cut = np.quantile(score[rows_of_kind], 1.0 - _REFUSED[contract])
            refused = score[rows_of_kind] > cut
        cancelled = draw[rows_of_kind] < _CANCELLED[contract]
        unused = ~cancelled & (draw[rows_of_kind] < _CANCELLED[contract] + _UNUSED[contract])
        labels = np.select([refused, cancelled, unused], [code("NAME_CONTRACT_STATUS", s) for s in
                                                         ("Refused", "Canceled", "Unused offer")],
                           code("NAME_CONTRACT_STATUS", "Approved"))
        status[rows_of_kind] = labels
    return status


def _reject_reasons(rng: np.random.Generator, status: np.ndarray,
                    refusal: np.ndarray) -> np.ndarray:
    weights, tilts = zip(*_REASONS, strict=True)
    levels = ("HC", "LIMIT", "SCO", "SCOFR", "XNA", "VERIF", "SYSTEM")
    codes = np.array([code("CODE_REJECT_REASON", level) for level in levels])
    refused_reason = codes[tilted_choice(rng, weights, tilts, refusal)]
    reason = np.where(status == code("NAME_CONTRACT_STATUS", "Refused"), refused_reason,
                      code("CODE_REJECT_REASON", "XAP"))
    unused = status == code("NAME_CONTRACT_STATUS", "Unused offer")
    return np.where(unused, code("CODE_REJECT_REASON", "CLIENT"), reason).astype(np.int16)


def _schedule(rng: np.random.Generator, kind: np.ndarray, decision: np.ndarray,
              term: np.ndarray, with_dates: np.ndarray) -> Frame:
    """First drawing and due dates, last due dates, termination, insurance (approved loans)."""
    n = len(kind)
    card = kind == REVOLVING
    first_due = decision + rng.integers(20, 46, n)
    first_due = np.where(card & (rng.random(n) < 0.4), SENTINEL_DAYS, first_due)
    drawing = np.where(card & (rng.random(n) < 0.7), decision + rng.integers(0, 60, n),
                       SENTINEL_DAYS)
    planned_last = np.where(card, SENTINEL_DAYS, first_due + 30.0 * np.maximum(term - 1.0, 0.0))
    early = rng.random(n) < 0.65
    paid_off = np.where(early, first_due + 30.0 * np.maximum(term - 1.0, 0) * rng.uniform(
        0.2, 0.95, n), planned_last)
    card_closed = card & (rng.random(n) < 0.3)
    paid_off = np.where(card_closed, decision + (-decision) * rng.uniform(0.2, 0.95, n), paid_off)
    last_due = np.where(paid_off <= 0, np.round(paid_off), SENTINEL_DAYS)
    termination = np.where(last_due < SENTINEL_DAYS, last_due + rng.integers(0, 15, n),
                           SENTINEL_DAYS)
    insured = rng.random(n) < np.select([kind == CASH, kind == CONSUMER], [0.55, 0.25], 0.0)
    columns = {"DAYS_FIRST_DRAWING": drawing, "DAYS_FIRST_DUE": first_due,
               "DAYS_LAST_DUE_1ST_VERSION": planned_last, "DAYS_LAST_DUE": last_due,
               "DAYS_TERMINATION": termination, "NFLAG_INSURED_ON_APPROVAL": insured}
    return {name: np.where(with_dates, np.minimum(values, SENTINEL_DAYS), np.nan)
            for name, values in columns.items()}


def _client_types(rng: np.random.Generator, client: np.ndarray,
                  decision: np.ndarray) -> np.ndarray:
    """New for (most) first applications of a client, Repeater or Refreshed afterwards."""
    n = len(client)
    order = np.lexsort((decision, client))
    first = np.zeros(n, dtype=bool)
    first[order] = np.concatenate([[True], client[order][1:] != client[order][:-1]]) if n else []
    later = np.where(rng.random(n) < 0.9, code("NAME_CLIENT_TYPE", "Repeater"),
                     code("NAME_CLIENT_TYPE", "Refreshed"))
    types = np.where(first & (rng.random(n) < 0.85), code("NAME_CLIENT_TYPE", "New"), later)
    return np.where(rng.random(n) < 0.0012, code("NAME_CLIENT_TYPE", "XNA"), types).astype(
        np.int16)


def _interest_rates(rng: np.random.Generator, eligible: np.ndarray) -> Frame:
    """The two interest-rate columns, known only for a few old cash loans (0.36 % of rows)."""
    n = len(eligible)
    known = eligible & (rng.random(n) < 0.021)
    primary = np.round(quantile_map(rng.random(n), ((0.0, 0.0348), (0.25, 0.161),
                                                    (0.5, 0.189), (0.75, 0.193), (1.0, 1.0))), 3)
    grid = np.round(np.linspace(0.373, 1.0, 25), 6)
    privileged = grid[np.searchsorted(grid, quantile_map(
        rng.random(n), ((0.0, 0.373), (0.25, 0.716), (0.5, 0.835), (0.75, 0.867), (1.0, 1.0))))]
    return {"RATE_INTEREST_PRIMARY": np.where(known, primary, np.nan),
            "RATE_INTEREST_PRIVILEGED": np.where(known, privileged, np.nan)}


def draw_previous(seed: np.random.SeedSequence, applicants: Applicants) -> PreviousApplications:
    """Every previous application (visible and hidden) with its terms and schedule."""
    rng = np.random.default_rng(seed)
    rows = _rows(rng, applicants)
    client, kind, n = rows["client"], rows["kind"], len(rows["client"])
    refusal = applicants.latents.refusal_propensity[client] + 0.3 * rng.standard_normal(n)
    status = _statuses(rng, rows, refusal)
    approved = status == code("NAME_CONTRACT_STATUS", "Approved")
    refused = status == code("NAME_CONTRACT_STATUS", "Refused")
    asked_only = refused & (rng.random(n) < 0.19)
    hollow = (status == code("NAME_CONTRACT_STATUS", "Canceled")) | (kind == UNKNOWN_CONTRACT) | asked_only
    # Loans that were granted lie further back than the applications that came to nothing.
    age_rank = rng.random(n) ** np.where(approved, 0.7, 1.6)
    decision = -np.round(np.where(rows["card"], quantile_map(rng.random(n), _CARD_DECISION_DAYS),
                                  quantile_map(age_rank, _DECISION_DAYS)))
    log_income = np.log(applicants.frame["AMT_INCOME_TOTAL"])
    wealth = ((log_income - log_income.mean()) / max(log_income.std(), 1e-9))[client]
    frame: Frame = {"SK_ID_PREV": _ID_BASE + rng.permutation(
        np.sort(rng.choice(max(_ID_SPAN, n), n, replace=False))).astype(np.int64),
        "SK_ID_CURR": applicants.ids[client], "NAME_CONTRACT_TYPE": kind.astype(np.int16),
        "NAME_CONTRACT_STATUS": status, "DAYS_DECISION": decision.astype(np.int64),
        "CODE_REJECT_REASON": _reject_reasons(rng, status, refusal),
        "NAME_CLIENT_TYPE": _client_types(rng, client, decision)}
    frame.update(draw_amounts(rng, kind, approved, hollow, asked_only, wealth, refusal))
    frame.update(draw_labels(rng, kind, hollow, frame["NAME_YIELD_GROUP"], refusal))
    frame.update(_interest_rates(rng, approved & (kind == CASH)))
    certain = rows["hidden"] | rows["card"] | rows["anchor"]
    with_dates = approved & ((rng.random(n) > 0.038) | certain)
    frame.update(_schedule(rng, kind, decision, frame["CNT_PAYMENT"], with_dates))
    has_pos = with_dates & (kind != REVOLVING) & ((rng.random(n) < 0.985) | certain)
    file_order = rng.permutation(np.flatnonzero(~rows["hidden"]))
    return PreviousApplications(frame, client, rows["hidden"], has_pos, rows["card"], file_order)
