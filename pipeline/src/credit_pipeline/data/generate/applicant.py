"""Who the applicant is: gender, age, work, education, family, housing and car."""

from __future__ import annotations

import numpy as np

from credit_core.schema.application import CATEGORICAL_LEVELS

from .draws import Frame, normal_cdf, quantile_map, tilted_choice, top_share, weighted_choice
from .risk import Latents

__all__ = ["draw_age", "draw_person"]

_AGE_YEARS = ((0.0, 20.52), (0.05, 25.9), (0.25, 33.98), (0.5, 43.15), (0.75, 53.92),
              (0.95, 63.3), (1.0, 69.07))
# Days employed among the employed (the sentinel rows aside), read off the documented quartiles.
_DAYS_EMPLOYED = ((0.0, 0.0), (0.085, 320.0), (0.39, 1340.0), (0.5, 1820.0), (0.695, 3050.0),
                  (0.9, 6000.0), (0.97, 9500.0), (0.995, 13500.0), (1.0, 17912.0))
#: Share of rows with DAYS_EMPLOYED = 365243 (pensioners, unemployed): train, test.
NOT_EMPLOYED_SHARE = (0.1801, 0.1903)

_GENDER_WEIGHTS = (202448, 105059)
_EMPLOYED_INCOME = {"Working": 158774, "Commercial associate": 71617, "State servant": 21703,
                    "Student": 18, "Businessman": 10, "Maternity leave": 5}
_EDUCATION = ((218391, -0.15), (74863, 0.45), (10277, 0.15), (3816, -0.5), (164, 0.9))
_FAMILY = ((196432, 0.1), (45444, -0.7), (29775, -0.3), (19770, 0.1), (16088, 1.3))
_HOUSING = ((272868, 0.0), (17500, -1.0), (11183, 0.0), (4881, -0.5), (2617, 0.0), (1122, 0.0))
_SUITE = (248526, 40149, 11370, 3267, 1770, 866, 271)
_CHILDREN_IF_ANY = (0.663, 0.290, 0.0403, 0.00465, 0.00091, 0.0002, 0.00005, 0.00003)
# (count, share of men) per occupation, in the schema's level order.
_OCCUPATION = ((55186, .62), (32102, .25), (27570, .22), (21371, .42), (18603, .92),
               (11380, .40), (9813, .05), (8537, .06), (6721, .70), (5946, .20), (4653, .10),
               (2652, .10), (2093, .60), (1348, .25), (1305, .05), (751, .20), (563, .10),
               (526, .55))
_ORGANISATION_COUNTS = (
    67992, 0, 38412, 16683, 11193, 10553, 10404, 8893, 7831, 6880, 6721, 5984, 5398, 3492, 3368,
    3278, 3247, 2958, 2704, 2634, 2507, 2454, 2341, 2204, 2157, 1974, 1900, 1811, 1575, 1327,
    1307, 1187, 1039, 966, 950, 877, 631, 599, 597, 577, 560, 458, 429, 396, 379, 369, 348, 317,
    305, 260, 201, 112, 109, 85, 67, 64, 49, 24,
)


def _code(column: str, level: str) -> int:
    return CATEGORICAL_LEVELS[column].index(level)


def draw_age(rng: np.random.Generator, n: int) -> np.ndarray:
    """Age in years (20.5-69), with the documented quartiles of DAYS_BIRTH."""
    return quantile_map(rng.random(n), _AGE_YEARS)


def _gender(rng: np.random.Generator, is_test: np.ndarray) -> np.ndarray:
    gender = weighted_choice(rng, _GENDER_WEIGHTS, len(is_test))
    # About 4 rows in 307,511 say XNA, never in the test file.
    gender[(rng.random(len(is_test)) < 4 / 307511) & ~is_test] = _code("CODE_GENDER", "XNA")
    return gender


def _not_employed(rng: np.random.Generator, age: np.ndarray, gender: np.ndarray,
                  is_test: np.ndarray) -> np.ndarray:
    """Pensioners and the unemployed: mostly the oldest, women retiring a little earlier."""
    score = age + 2.0 * (gender != 1) + 3.0 * rng.standard_normal(len(age))
    result = np.zeros(len(age), dtype=bool)
    for split, share in enumerate(NOT_EMPLOYED_SHARE):
        rows = is_test == bool(split)
        result[rows] = top_share(score[rows], share)
    return result


def _work(rng: np.random.Generator, age: np.ndarray, gender: np.ndarray,
          not_employed: np.ndarray, latents: Latents) -> Frame:
    """Income type, employment length (365243 if not employed), occupation and employer."""
    n = len(age)
    levels = CATEGORICAL_LEVELS["NAME_INCOME_TYPE"]
    income_type = weighted_choice(rng, [_EMPLOYED_INCOME.get(lv, 0) for lv in levels], n)
    pensioner = np.where(rng.random(n) < 22 / 55384, _code("NAME_INCOME_TYPE", "Unemployed"),
                         _code("NAME_INCOME_TYPE", "Pensioner"))
    income_type = np.where(not_employed, pensioner, income_type).astype(np.int16)
    seniority = 0.5 * (age - 43.0) / 12.0 + 0.15 * latents.creditworthiness
    seniority = seniority + np.sqrt(1 - 0.25 - 0.0225) * rng.standard_normal(n)
    days = np.minimum(quantile_map(normal_cdf(seniority), _DAYS_EMPLOYED), (age - 16.5) * 365.0)
    days_employed = np.where(not_employed, 365243, -np.round(days)).astype(np.int64)
    counts = np.array([c for c, _ in _OCCUPATION], dtype=float)
    men = np.array([m for _, m in _OCCUPATION])
    occupation = np.where(gender == 1, weighted_choice(rng, counts * men, n),
                          weighted_choice(rng, counts * (1 - men), n))
    occupation[not_employed | (rng.random(n) < 0.162)] = -1
    organisation = weighted_choice(rng, _ORGANISATION_COUNTS, n)
    organisation[not_employed] = _code("ORGANIZATION_TYPE", "XNA")
    return {"NAME_INCOME_TYPE": income_type, "DAYS_EMPLOYED": days_employed,
            "OCCUPATION_TYPE": occupation.astype(np.int16), "ORGANIZATION_TYPE": organisation}


def _family(rng: np.random.Generator, age: np.ndarray, is_test: np.ndarray) -> Frame:
    """Family status (widows older, singles younger), children and family size."""
    n = len(age)
    age_std = (age - 43.0) / 12.0
    weights, tilts = zip(*_FAMILY, strict=True)
    status = tilted_choice(rng, weights, tilts, age_std)
    status[(rng.random(n) < 2 / 307511) & ~is_test] = _code("NAME_FAMILY_STATUS", "Unknown")
    partner = np.isin(status, [_code("NAME_FAMILY_STATUS", "Married"),
                               _code("NAME_FAMILY_STATUS", "Civil marriage")])
    # Children mostly live with couples: about 22 % of applicants are a family of one.
    bump = np.exp(-(((age - 36.0) / 12.0) ** 2)) * np.where(partner, 1.25, 0.3)
    has_children = rng.random(n) < np.minimum(bump * 0.30 / bump.mean(), 0.95)
    children = np.where(has_children, 1 + weighted_choice(rng, _CHILDREN_IF_ANY, n), 0)
    children[rng.random(n) < 1e-5] = rng.integers(8, 20)  # the real file goes up to 19
    family = children + 1.0 + partner + (rng.random(n) < 0.01)
    family[(rng.random(n) < 2 / 307511) & ~is_test] = np.nan
    return {"NAME_FAMILY_STATUS": status, "CNT_CHILDREN": children.astype(np.int64),
            "CNT_FAM_MEMBERS": family}


def _belongings(rng: np.random.Generator, age: np.ndarray, gender: np.ndarray) -> Frame:
    """Housing, car (and its age, only for car owners), real estate, who came along."""
    n = len(age)
    age_std = (age - 43.0) / 12.0
    weights, tilts = zip(*_HOUSING, strict=True)
    owns_car = top_share(1.1 * (gender == 1) - 0.2 * age_std + rng.logistic(size=n), 0.340)
    car_age = np.floor(quantile_map(rng.random(n), ((0, 0), (0.25, 5), (0.5, 9), (0.75, 15),
                                                    (0.95, 24), (0.985, 35), (1.0, 50))))
    car_age = np.where(rng.random(n) < 0.02, rng.choice([64.0, 65.0], n), car_age)
    suite = weighted_choice(rng, _SUITE, n)
    suite[rng.random(n) < 0.0042] = -1
    return {
        "NAME_HOUSING_TYPE": tilted_choice(rng, weights, tilts, age_std),
        "FLAG_OWN_CAR": owns_car.astype(np.int16),  # levels are ("N", "Y")
        "OWN_CAR_AGE": np.where(owns_car, car_age, np.nan),
        "FLAG_OWN_REALTY": (~top_share(0.3 * age_std + rng.logistic(size=n), 0.694)).astype(
            np.int16),  # levels are ("Y", "N")
        "NAME_TYPE_SUITE": suite,
    }


def draw_person(rng: np.random.Generator, age: np.ndarray, latents: Latents,
                is_test: np.ndarray) -> Frame:
    """The applicant's own columns; education leans on creditworthiness."""
    gender = _gender(rng, is_test)
    not_employed = _not_employed(rng, age, gender, is_test)
    weights, tilts = zip(*_EDUCATION, strict=True)
    person: Frame = {
        "CODE_GENDER": gender,
        "DAYS_BIRTH": -np.round(age * 365.25).astype(np.int64),
        "NAME_EDUCATION_TYPE": tilted_choice(rng, weights, tilts, latents.creditworthiness),
    }
    person.update(_work(rng, age, gender, not_employed, latents))
    person.update(_family(rng, age, is_test))
    person.update(_belongings(rng, age, gender))
    return person
