"""The application table: every field of a loan application, in the Kaggle order.

This is the one definition of what an applicant's application looks like. The raw-file schema,
the API's input model, the database columns and the derived features all derive from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "APPLICATION_FIELDS",
    "APPLICATION_FIELD_NAMES",
    "BUILDING_MEASURES",
    "CATEGORICAL_LEVELS",
    "DOCUMENT_FLAGS",
    "REQ_BUREAU_COLUMNS",
    "ApplicationField",
    "application_field",
]

Kind = Literal["int", "float", "category"]

#: Categorical levels in the order of their frequency in application_train (the encoding order).
CATEGORICAL_LEVELS: dict[str, tuple[str, ...]] = {
    "NAME_CONTRACT_TYPE": ("Cash loans", "Revolving loans"),
    "CODE_GENDER": ("F", "M", "XNA"),
    "FLAG_OWN_CAR": ("N", "Y"),
    "FLAG_OWN_REALTY": ("Y", "N"),
    "NAME_TYPE_SUITE": (
        "Unaccompanied", "Family", "Spouse, partner", "Children", "Other_B", "Other_A",
        "Group of people",
    ),
    "NAME_INCOME_TYPE": (
        "Working", "Commercial associate", "Pensioner", "State servant", "Unemployed", "Student",
        "Businessman", "Maternity leave",
    ),
    "NAME_EDUCATION_TYPE": (
        "Secondary / secondary special", "Higher education", "Incomplete higher",
        "Lower secondary", "Academic degree",
    ),
    "NAME_FAMILY_STATUS": (
        "Married", "Single / not married", "Civil marriage", "Separated", "Widow", "Unknown",
    ),
    "NAME_HOUSING_TYPE": (
        "House / apartment", "With parents", "Municipal apartment", "Rented apartment",
        "Office apartment", "Co-op apartment",
    ),
    "OCCUPATION_TYPE": (
        "Laborers", "Sales staff", "Core staff", "Managers", "Drivers", "High skill tech staff",
        "Accountants", "Medicine staff", "Security staff", "Cooking staff", "Cleaning staff",
        "Private service staff", "Low-skill Laborers", "Waiters/barmen staff", "Secretaries",
        "Realty agents", "HR staff", "IT staff",
    ),
    "WEEKDAY_APPR_PROCESS_START": (
        "TUESDAY", "WEDNESDAY", "MONDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY",
    ),
    "ORGANIZATION_TYPE": (
        "Business Entity Type 3", "XNA", "Self-employed", "Other", "Medicine",
        "Business Entity Type 2", "Government", "School", "Trade: type 7", "Kindergarten",
        "Construction", "Business Entity Type 1", "Transport: type 4", "Trade: type 3",
        "Industry: type 9", "Industry: type 3", "Security", "Housing", "Industry: type 11",
        "Military", "Bank", "Agriculture", "Police", "Transport: type 2", "Postal",
        "Security Ministries", "Trade: type 2", "Restaurant", "Services", "University",
        "Industry: type 7", "Transport: type 3", "Industry: type 1", "Hotel", "Electricity",
        "Industry: type 4", "Trade: type 6", "Industry: type 5", "Insurance", "Telecom",
        "Emergency", "Industry: type 2", "Advertising", "Realtor", "Culture", "Industry: type 12",
        "Trade: type 1", "Mobile", "Legal Services", "Cleaning", "Transport: type 1",
        "Industry: type 6", "Industry: type 10", "Religion", "Industry: type 13", "Trade: type 4",
        "Trade: type 5", "Industry: type 8",
    ),
    "FONDKAPREMONT_MODE": (
        "reg oper account", "reg oper spec account", "not specified", "org spec account",
    ),
    "HOUSETYPE_MODE": ("block of flats", "specific housing", "terraced house"),
    "WALLSMATERIAL_MODE": (
        "Panel", "Stone, brick", "Block", "Wooden", "Mixed", "Monolithic", "Others",
    ),
    "EMERGENCYSTATE_MODE": ("No", "Yes"),
}

BUILDING_MEASURES: tuple[str, ...] = (
    "APARTMENTS", "BASEMENTAREA", "YEARS_BEGINEXPLUATATION", "YEARS_BUILD", "COMMONAREA",
    "ELEVATORS", "ENTRANCES", "FLOORSMAX", "FLOORSMIN", "LANDAREA", "LIVINGAPARTMENTS",
    "LIVINGAREA", "NONLIVINGAPARTMENTS", "NONLIVINGAREA",
)
DOCUMENT_FLAGS: tuple[str, ...] = tuple(f"FLAG_DOCUMENT_{i}" for i in range(2, 22))
REQ_BUREAU_COLUMNS: tuple[str, ...] = tuple(
    f"AMT_REQ_CREDIT_BUREAU_{p}" for p in ("HOUR", "DAY", "WEEK", "MON", "QRT", "YEAR")
)


@dataclass(frozen=True)
class ApplicationField:
    """One column of the application table.

    ``minimum``/``maximum`` bound what an API caller may submit (generous: they reject
    impossible values, not unusual ones). ``protected`` marks attributes that may explain a
    decision but must never be suggested as something to change; ``actionable`` marks what an
    applicant can change about the loan itself (amount, annuity, goods price).
    """

    name: str
    kind: Kind
    label: str
    nullable: bool = True
    minimum: float | None = None
    maximum: float | None = None
    levels: tuple[str, ...] = field(default=())
    protected: bool = False
    actionable: bool = False


def _flag(name: str, label: str, nullable: bool = False) -> ApplicationField:
    return ApplicationField(name, "int", label, nullable=nullable, minimum=0, maximum=1)


def _cat(name: str, label: str, protected: bool = False) -> ApplicationField:
    return ApplicationField(
        name, "category", label, levels=CATEGORICAL_LEVELS[name], protected=protected
    )


def _building() -> list[ApplicationField]:
    fields = []
    for suffix, stat in (("AVG", "average"), ("MODE", "mode"), ("MEDI", "median")):
        for measure in BUILDING_MEASURES:
            readable = measure.replace("_", " ").lower()
            fields.append(
                ApplicationField(
                    f"{measure}_{suffix}", "float",
                    f"Building: {readable} (normalised, {stat})", minimum=0, maximum=1,
                )
            )
    return fields


_DAYS_MIN = -30000.0  # about 82 years back: older dates are impossible for an applicant

APPLICATION_FIELDS: tuple[ApplicationField, ...] = (
    # Bounded like the scoring requests' client_id: ids are exact in JSON numbers and in the
    # databases' 64-bit integers up to 2**53 (beyond 2**63 the audit insert overflowed).
    ApplicationField("SK_ID_CURR", "int", "Client id", nullable=False, minimum=1, maximum=2**53),
    _cat("NAME_CONTRACT_TYPE", "Contract type"),
    _cat("CODE_GENDER", "Gender", protected=True),
    _cat("FLAG_OWN_CAR", "Owns a car"),
    _cat("FLAG_OWN_REALTY", "Owns real estate"),
    ApplicationField("CNT_CHILDREN", "int", "Number of children", nullable=False, minimum=0,
                     maximum=30, protected=True),
    ApplicationField("AMT_INCOME_TOTAL", "float", "Total annual income", nullable=False,
                     minimum=0, maximum=1e9),
    ApplicationField("AMT_CREDIT", "float", "Credit amount", nullable=False, minimum=1,
                     maximum=1e8, actionable=True),
    ApplicationField("AMT_ANNUITY", "float", "Loan annuity", minimum=0, maximum=1e7,
                     actionable=True),
    ApplicationField("AMT_GOODS_PRICE", "float", "Price of the goods", minimum=0, maximum=1e8,
                     actionable=True),
    _cat("NAME_TYPE_SUITE", "Accompanied by"),
    _cat("NAME_INCOME_TYPE", "Income type"),
    _cat("NAME_EDUCATION_TYPE", "Education"),
    _cat("NAME_FAMILY_STATUS", "Family status", protected=True),
    _cat("NAME_HOUSING_TYPE", "Housing"),
    ApplicationField("REGION_POPULATION_RELATIVE", "float", "Population of the region (relative)",
                     nullable=False, minimum=0, maximum=1),
    ApplicationField("DAYS_BIRTH", "int", "Age (days before application)", nullable=False,
                     minimum=_DAYS_MIN, maximum=-5000, protected=True),
    ApplicationField("DAYS_EMPLOYED", "int",
                     "Employment length (days before application; 365243 = not employed)",
                     nullable=False, minimum=_DAYS_MIN, maximum=365243),
    ApplicationField("DAYS_REGISTRATION", "float", "Registration change (days before)",
                     nullable=False, minimum=_DAYS_MIN, maximum=0),
    ApplicationField("DAYS_ID_PUBLISH", "int", "Identity document change (days before)",
                     nullable=False, minimum=_DAYS_MIN, maximum=0),
    ApplicationField("OWN_CAR_AGE", "float", "Age of the car (years)", minimum=0, maximum=100),
    _flag("FLAG_MOBIL", "Gave a mobile phone"),
    _flag("FLAG_EMP_PHONE", "Gave an employer phone"),
    _flag("FLAG_WORK_PHONE", "Gave a work phone"),
    _flag("FLAG_CONT_MOBILE", "Mobile phone reachable"),
    _flag("FLAG_PHONE", "Gave a home phone"),
    _flag("FLAG_EMAIL", "Gave an e-mail address"),
    _cat("OCCUPATION_TYPE", "Occupation"),
    ApplicationField("CNT_FAM_MEMBERS", "float", "Family members", minimum=1, maximum=30,
                     protected=True),
    ApplicationField("REGION_RATING_CLIENT", "int", "Region rating", nullable=False, minimum=1,
                     maximum=3),
    ApplicationField("REGION_RATING_CLIENT_W_CITY", "int", "Region rating with city",
                     nullable=False, minimum=-1, maximum=3),
    _cat("WEEKDAY_APPR_PROCESS_START", "Weekday of the application"),
    ApplicationField("HOUR_APPR_PROCESS_START", "int", "Hour of the application",
                     nullable=False, minimum=0, maximum=23),
    _flag("REG_REGION_NOT_LIVE_REGION", "Registered region differs from living region"),
    _flag("REG_REGION_NOT_WORK_REGION", "Registered region differs from work region"),
    _flag("LIVE_REGION_NOT_WORK_REGION", "Living region differs from work region"),
    _flag("REG_CITY_NOT_LIVE_CITY", "Registered city differs from living city"),
    _flag("REG_CITY_NOT_WORK_CITY", "Registered city differs from work city"),
    _flag("LIVE_CITY_NOT_WORK_CITY", "Living city differs from work city"),
    _cat("ORGANIZATION_TYPE", "Employer's organisation type"),
    ApplicationField("EXT_SOURCE_1", "float", "External score 1", minimum=0, maximum=1),
    ApplicationField("EXT_SOURCE_2", "float", "External score 2", minimum=0, maximum=1),
    ApplicationField("EXT_SOURCE_3", "float", "External score 3", minimum=0, maximum=1),
    *_building(),
    _cat("FONDKAPREMONT_MODE", "Building: repair fund"),
    _cat("HOUSETYPE_MODE", "Building: house type"),
    ApplicationField("TOTALAREA_MODE", "float", "Building: total area (normalised)", minimum=0,
                     maximum=1),
    _cat("WALLSMATERIAL_MODE", "Building: walls material"),
    _cat("EMERGENCYSTATE_MODE", "Building: emergency state"),
    ApplicationField("OBS_30_CNT_SOCIAL_CIRCLE", "float",
                     "Social circle observed 30 days past due", minimum=0, maximum=1000),
    ApplicationField("DEF_30_CNT_SOCIAL_CIRCLE", "float",
                     "Social circle defaulted 30 days past due", minimum=0, maximum=1000),
    ApplicationField("OBS_60_CNT_SOCIAL_CIRCLE", "float",
                     "Social circle observed 60 days past due", minimum=0, maximum=1000),
    ApplicationField("DEF_60_CNT_SOCIAL_CIRCLE", "float",
                     "Social circle defaulted 60 days past due", minimum=0, maximum=1000),
    ApplicationField("DAYS_LAST_PHONE_CHANGE", "float", "Phone change (days before)",
                     minimum=_DAYS_MIN, maximum=0),
    *(_flag(name, f"Provided document {name.rsplit('_', 1)[1]}") for name in DOCUMENT_FLAGS),
    *(
        ApplicationField(name, "float",
                         f"Credit bureau enquiries in the last {name.rsplit('_', 1)[1].lower()}",
                         minimum=0, maximum=1000)
        for name in REQ_BUREAU_COLUMNS
    ),
)

APPLICATION_FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in APPLICATION_FIELDS)
_BY_NAME = {f.name: f for f in APPLICATION_FIELDS}


def application_field(name: str) -> ApplicationField:
    """The field called ``name``; KeyError if the application has no such field."""
    return _BY_NAME[name]
