"""External scores, social circle, credit-bureau enquiries and the documents provided."""

from __future__ import annotations

import numpy as np

from credit_core.schema.application import DOCUMENT_FLAGS, REQ_BUREAU_COLUMNS

from .draws import Frame, by_split, normal_cdf, quantile_map, tilted_choice
from .risk import Latents

__all__ = ["draw_scores"]

_EXT_KNOTS = (
    ((0.0, 0.0146), (0.05, 0.16), (0.25, 0.334), (0.5, 0.506), (0.75, 0.6751), (0.95, 0.84),
     (1.0, 0.9627)),
    ((0.0, 1e-6), (0.05, 0.12), (0.25, 0.3925), (0.5, 0.566), (0.75, 0.6636), (0.95, 0.75),
     (1.0, 0.855)),
    ((0.0, 0.000527), (0.05, 0.1574), (0.25, 0.3707), (0.5, 0.5353), (0.75, 0.6691),
     (0.95, 0.793), (1.0, 0.896)),
)
#: Missing share of EXT_SOURCE_1..3 in (train, test): the shifts are documented.
EXT_MISSING = ((0.564, 0.421), (0.0021, 0.0021), (0.198, 0.178))
_MEASUREMENT_NOISE = 0.2  # how far an external score strays from what it measures
# Enquiries in the last hour, day, week, month, quarter, year: (mean, negative binomial shape).
_ENQUIRIES = ((0.0064, 0.02), (0.007, 0.03), (0.0344, 0.07), (0.2674, 0.24), (0.2655, 0.45),
              (1.9, 1.8))
_DOCUMENT_RATES = (0.000042, 0.0, 0.000081, 0.0151, 0.0, 0.00019, 0.0, 0.0039, 0.000023,
                   0.0039, 0.0000065, 0.0035, 0.0029, 0.0012, 0.0099, 0.00027, 0.0081, 0.0006,
                   0.0005, 0.00034)
# The main document is one of FLAG_DOCUMENT_3 / 6 / 8 or none; pensioners bring 6 more often.
_MAIN_DOCUMENTS = ((3, 0.735, -0.5), (6, 0.083, 0.6), (8, 0.076, 0.2), (0, 0.106, 0.3))


def _external_sources(rng: np.random.Generator, latents: Latents, is_test: np.ndarray) -> Frame:
    n = len(is_test)
    frame: Frame = {}
    for k in range(3):
        seen = (np.sqrt(1 - _MEASUREMENT_NOISE**2) * latents.source_scores[:, k]
                + _MEASUREMENT_NOISE * rng.standard_normal(n))
        value = quantile_map(normal_cdf(seen), _EXT_KNOTS[k])
        value = np.round(value, 3) if k == 2 else np.round(value, 8)  # source 3 is coarse
        value[rng.random(n) < by_split(is_test, EXT_MISSING[k])] = np.nan
        frame[f"EXT_SOURCE_{k + 1}"] = value
    return frame


def _social_circle(rng: np.random.Generator, latents: Latents) -> Frame:
    """Acquaintances observed and defaulted 30/60 days past due; one missing mask for all four."""
    n = len(latents.hidden_risk)
    shape, mean = 0.43, 1.42
    observed_30 = rng.negative_binomial(shape, shape / (shape + mean), n)
    observed_30[rng.random(n) < 1e-5] = 348  # the documented outlier (OBS_30 >= 300)
    default_rate = np.clip(0.095 * np.exp(-0.3 * latents.creditworthiness), 0, 0.9)
    defaulted_30 = rng.binomial(observed_30, default_rate)
    observed_60 = observed_30 - rng.binomial(observed_30, 0.012)
    defaulted_60 = np.minimum(rng.binomial(defaulted_30, 0.7), observed_60)
    missing = rng.random(n) < 0.0033
    columns = {"OBS_30": observed_30, "DEF_30": defaulted_30, "OBS_60": observed_60,
               "DEF_60": defaulted_60}
    return {f"{name}_CNT_SOCIAL_CIRCLE": np.where(missing, np.nan, counts.astype(float))
            for name, counts in columns.items()}


def _enquiries(rng: np.random.Generator, n: int) -> Frame:
    """Credit-bureau enquiries by period; one missing mask for the six columns."""
    missing = rng.random(n) < 0.135
    frame: Frame = {}
    for name, (mean, shape) in zip(REQ_BUREAU_COLUMNS, _ENQUIRIES, strict=True):
        counts = rng.negative_binomial(shape, shape / (shape + mean), n).astype(float)
        frame[name] = np.where(missing, np.nan, np.minimum(counts, 27.0))
    frame["AMT_REQ_CREDIT_BUREAU_QRT"][(rng.random(n) < 3.3e-6) & ~missing] = 261.0
    return frame


def _documents(rng: np.random.Generator, not_employed: np.ndarray) -> Frame:
    n = len(not_employed)
    numbers, weights, tilts = zip(*_MAIN_DOCUMENTS, strict=True)
    main = np.asarray(numbers)[tilted_choice(rng, weights, tilts, 2.0 * not_employed - 0.36)]
    frame: Frame = {}
    for name, rate in zip(DOCUMENT_FLAGS, _DOCUMENT_RATES, strict=True):
        number = int(name.rsplit("_", 1)[1])
        flag = (main == number) | (rng.random(n) < rate)
        frame[name] = flag.astype(np.int64)
    return frame


def draw_scores(rng: np.random.Generator, person: Frame, latents: Latents,
                is_test: np.ndarray) -> Frame:
    """EXT_SOURCE_1..3, the social circle, the bureau enquiries and FLAG_DOCUMENT_2..21."""
    frame = _external_sources(rng, latents, is_test)
    frame.update(_social_circle(rng, latents))
    frame.update(_enquiries(rng, len(is_test)))
    frame.update(_documents(rng, person["DAYS_EMPLOYED"] > 0))
    return frame
