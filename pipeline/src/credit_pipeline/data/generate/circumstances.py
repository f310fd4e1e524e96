"""Where and when: region, phones and addresses, application time, document dates."""

from __future__ import annotations

import numpy as np

from .draws import (
    Frame,
    by_split,
    normal_cdf,
    quantile_map,
    rank_uniform,
    top_share,
    weighted_choice,
)
from .risk import Latents

__all__ = ["draw_circumstances"]

_POPULATION = ((0.0, 0.00029), (0.05, 0.00496), (0.25, 0.010006), (0.5, 0.01885),
               (0.75, 0.028663), (0.95, 0.04622), (1.0, 0.072508))
_REGION_COUNT = 81  # the real column has about 80 distinct values
_WEEKDAYS = (53901, 51934, 50714, 50591, 50338, 33852, 16181)
_HOURS = (40, 86, 305, 1230, 2090, 3638, 5842, 9131, 15127, 27384, 37722, 37229, 34233, 30959,
          27682, 24839, 20385, 14900, 9049, 3848, 1196, 405, 150, 41)
_REGISTRATION = ((0.0, 24672.0), (0.05, 11600.0), (0.25, 7479.5), (0.5, 4504.0),
                 (0.75, 2010.0), (0.95, 380.0), (1.0, 0.0))
_ID_PUBLISH = ((0.0, 7197.0), (0.05, 5180.0), (0.25, 4299.0), (0.5, 3254.0), (0.75, 1720.0),
               (0.95, 480.0), (1.0, 0.0))
# Phone change: 12.25 % of rows changed it on the day of the application (0).
_PHONE_CHANGE = ((0.0, 4292.0), (0.05, 2640.0), (0.25, 1570.0), (0.5, 757.0), (0.75, 274.0),
                 (0.8775, 1.0), (1.0, 0.0))
#: Share of applicants who gave an e-mail address: train, test (a documented shift).
EMAIL_SHARE = (0.0567, 0.1626)


def _region(rng: np.random.Generator, n: int) -> Frame:
    """A region per applicant: its relative population and its ratings (1 best, 3 worst)."""
    grid = np.round(quantile_map(np.linspace(0.0, 1.0, _REGION_COUNT), _POPULATION), 6)
    population = quantile_map(rng.random(n), _POPULATION)
    population = grid[np.clip(np.searchsorted(grid, population), 0, _REGION_COUNT - 1)]
    badness = -rank_uniform(population) + 0.25 * rng.standard_normal(n)
    rating = 1 + (~top_share(-badness, 0.105)).astype(np.int64) + top_share(badness, 0.157)
    with_city = badness + 0.12 * rng.standard_normal(n)
    rating_city = 1 + (~top_share(-with_city, 0.111)).astype(np.int64) + top_share(with_city, 0.143)
    return {"REGION_POPULATION_RELATIVE": population, "REGION_RATING_CLIENT": rating,
            "REGION_RATING_CLIENT_W_CITY": rating_city}


def _addresses(rng: np.random.Generator, employed: np.ndarray, restless: np.ndarray) -> Frame:
    """Registered, living and work addresses: the six mismatch flags, region within city."""
    n = len(employed)
    reg_not_live = top_share(restless + rng.logistic(size=n), 0.0782)
    live_not_work = np.zeros(n, dtype=bool)
    live_not_work[employed] = top_share(restless[employed] + rng.logistic(size=employed.sum()),
                                        0.1796 / max(employed.mean(), 1e-9))
    reg_not_work = ((live_not_work & (rng.random(n) < 0.9))
                    | (reg_not_live & employed & (rng.random(n) < 0.7))
                    | (employed & (rng.random(n) < 0.04)))
    live_region = live_not_work & (rng.random(n) < 0.0407 / 0.1796)
    reg_region = live_region | (reg_not_work & (rng.random(n) < 0.053))
    flags = {
        "REG_REGION_NOT_LIVE_REGION": reg_not_live & (rng.random(n) < 0.0151 / 0.0782),
        "REG_REGION_NOT_WORK_REGION": reg_region,
        "LIVE_REGION_NOT_WORK_REGION": live_region,
        "REG_CITY_NOT_LIVE_CITY": reg_not_live,
        "REG_CITY_NOT_WORK_CITY": reg_not_work,
        "LIVE_CITY_NOT_WORK_CITY": live_not_work,
    }
    return {name: flag.astype(np.int64) for name, flag in flags.items()}


def _phones(rng: np.random.Generator, employed: np.ndarray, age_std: np.ndarray,
            is_test: np.ndarray) -> Frame:
    n = len(employed)
    return {
        "FLAG_MOBIL": (rng.random(n) > 3.3e-6).astype(np.int64),
        "FLAG_EMP_PHONE": employed.astype(np.int64),
        "FLAG_WORK_PHONE": (employed & (rng.random(n) < 0.1994 / 0.82)).astype(np.int64),
        "FLAG_CONT_MOBILE": (rng.random(n) < 0.9981).astype(np.int64),
        "FLAG_PHONE": top_share(0.5 * age_std + rng.logistic(size=n), 0.2811).astype(np.int64),
        "FLAG_EMAIL": (rng.random(n) < by_split(is_test, EMAIL_SHARE)).astype(np.int64),
    }


def _dates(rng: np.random.Generator, age: np.ndarray, latents: Latents) -> Frame:
    """Registration, identity document and phone changes, in days before the application."""
    n = len(age)
    age_std = (age - 43.0) / 12.0
    adult_days = (age - 14.0) * 365.0
    settled = 0.5 * age_std + 0.87 * rng.standard_normal(n)
    registration = np.minimum(quantile_map(1 - normal_cdf(settled), _REGISTRATION), adult_days)
    renewed = 0.3 * age_std + 0.12 * latents.creditworthiness + 0.95 * rng.standard_normal(n)
    id_publish = np.minimum(quantile_map(1 - normal_cdf(renewed), _ID_PUBLISH), adult_days)
    steady = 0.2 * age_std + 0.2 * latents.creditworthiness + 0.96 * rng.standard_normal(n)
    phone = -np.round(quantile_map(1 - normal_cdf(steady), _PHONE_CHANGE))
    phone[rng.random(n) < 3.3e-6] = np.nan
    return {"DAYS_REGISTRATION": -np.round(registration),
            "DAYS_ID_PUBLISH": -np.round(id_publish).astype(np.int64),
            "DAYS_LAST_PHONE_CHANGE": phone + 0.0}


def draw_circumstances(rng: np.random.Generator, person: Frame, latents: Latents,
                       is_test: np.ndarray) -> Frame:
    """Region, contact flags, address flags, application weekday and hour, dates."""
    n = len(is_test)
    age = -person["DAYS_BIRTH"] / 365.25
    age_std = (age - 43.0) / 12.0
    employed = person["DAYS_EMPLOYED"] <= 0
    restless = -0.4 * age_std - 0.3 * latents.creditworthiness
    frame = _region(rng, n)
    frame.update(_phones(rng, employed, age_std, is_test))
    frame["WEEKDAY_APPR_PROCESS_START"] = weighted_choice(rng, _WEEKDAYS, n)
    frame["HOUR_APPR_PROCESS_START"] = weighted_choice(rng, _HOURS, n).astype(np.int64)
    frame.update(_addresses(rng, employed, restless))
    frame.update(_dates(rng, age, latents))
    return frame
