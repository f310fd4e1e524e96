"""French labels of the features, beside their English labels in the feature schema.

Application fields and derived features are written by hand; the satellite aggregates are
generated from French column, function and scope words that mirror ``aggregates.py``'s English
labels (one French word list, the same construction). ``french_label(name)`` is the one accessor.
"""

from __future__ import annotations

from credit_core.schema.aggregates import AGGREGATES, Aggregate
from credit_core.schema.application import BUILDING_MEASURES, DOCUMENT_FLAGS, REQ_BUREAU_COLUMNS

__all__ = ["FRENCH_LABELS", "french_label"]

_APPLICATION: dict[str, str] = {
    "NAME_CONTRACT_TYPE": "Type de contrat",
    "CODE_GENDER": "Genre",
    "FLAG_OWN_CAR": "Possède une voiture",
    "FLAG_OWN_REALTY": "Possède un bien immobilier",
    "CNT_CHILDREN": "Nombre d'enfants",
    "AMT_INCOME_TOTAL": "Revenu annuel total",
    "AMT_CREDIT": "Montant du crédit",
    "AMT_ANNUITY": "Échéance du prêt",
    "AMT_GOODS_PRICE": "Prix du bien",
    "NAME_TYPE_SUITE": "Accompagné par",
    "NAME_INCOME_TYPE": "Type de revenu",
    "NAME_EDUCATION_TYPE": "Niveau d'études",
    "NAME_FAMILY_STATUS": "Situation familiale",
    "NAME_HOUSING_TYPE": "Logement",
    "REGION_POPULATION_RELATIVE": "Population de la région (relative)",
    "DAYS_BIRTH": "Âge (jours avant la demande)",
    "DAYS_EMPLOYED": "Ancienneté dans l'emploi (jours avant la demande ; 365243 = sans emploi)",
    "DAYS_REGISTRATION": "Changement d'enregistrement (jours avant)",
    "DAYS_ID_PUBLISH": "Changement de pièce d'identité (jours avant)",
    "OWN_CAR_AGE": "Âge de la voiture (années)",
    "FLAG_MOBIL": "A donné un téléphone mobile",
    "FLAG_EMP_PHONE": "A donné le téléphone de l'employeur",
    "FLAG_WORK_PHONE": "A donné un téléphone professionnel",
    "FLAG_CONT_MOBILE": "Téléphone mobile joignable",
    "FLAG_PHONE": "A donné un téléphone fixe",
    "FLAG_EMAIL": "A donné une adresse e-mail",
    "OCCUPATION_TYPE": "Profession",
    "CNT_FAM_MEMBERS": "Membres de la famille",
    "REGION_RATING_CLIENT": "Note de la région",
    "REGION_RATING_CLIENT_W_CITY": "Note de la région avec la ville",
    "WEEKDAY_APPR_PROCESS_START": "Jour de la semaine de la demande",
    "HOUR_APPR_PROCESS_START": "Heure de la demande",
    "REG_REGION_NOT_LIVE_REGION": "Région d'enregistrement différente de la région de résidence",
    "REG_REGION_NOT_WORK_REGION": "Région d'enregistrement différente de la région de travail",
    "LIVE_REGION_NOT_WORK_REGION": "Région de résidence différente de la région de travail",
    "REG_CITY_NOT_LIVE_CITY": "Ville d'enregistrement différente de la ville de résidence",
    "REG_CITY_NOT_WORK_CITY": "Ville d'enregistrement différente de la ville de travail",
    "LIVE_CITY_NOT_WORK_CITY": "Ville de résidence différente de la ville de travail",
    "ORGANIZATION_TYPE": "Type d'organisation de l'employeur",
    "EXT_SOURCE_1": "Score externe 1",
    "EXT_SOURCE_2": "Score externe 2",
    "EXT_SOURCE_3": "Score externe 3",
    "FONDKAPREMONT_MODE": "Immeuble : fonds de travaux",
    "HOUSETYPE_MODE": "Immeuble : type de logement",
    "TOTALAREA_MODE": "Immeuble : surface totale (normalisée)",
    "WALLSMATERIAL_MODE": "Immeuble : matériau des murs",
    "EMERGENCYSTATE_MODE": "Immeuble : état d'urgence",
    "OBS_30_CNT_SOCIAL_CIRCLE": "Entourage observé à 30 jours de retard",
    "DEF_30_CNT_SOCIAL_CIRCLE": "Entourage en défaut à 30 jours de retard",
    "OBS_60_CNT_SOCIAL_CIRCLE": "Entourage observé à 60 jours de retard",
    "DEF_60_CNT_SOCIAL_CIRCLE": "Entourage en défaut à 60 jours de retard",
    "DAYS_LAST_PHONE_CHANGE": "Changement de téléphone (jours avant)",
}

_BUILDING_MEASURES_FR: dict[str, str] = {
    "APARTMENTS": "appartements", "BASEMENTAREA": "surface du sous-sol",
    "YEARS_BEGINEXPLUATATION": "début d'exploitation", "YEARS_BUILD": "année de construction",
    "COMMONAREA": "parties communes", "ELEVATORS": "ascenseurs", "ENTRANCES": "entrées",
    "FLOORSMAX": "étages (max)", "FLOORSMIN": "étages (min)", "LANDAREA": "surface du terrain",
    "LIVINGAPARTMENTS": "appartements habités", "LIVINGAREA": "surface habitable",
    "NONLIVINGAPARTMENTS": "appartements non habités", "NONLIVINGAREA": "surface non habitable",
}
_STATS_FR = {"AVG": "moyenne", "MODE": "mode", "MEDI": "médiane"}
_PERIODS_FR = {"HOUR": "la dernière heure", "DAY": "le dernier jour", "WEEK": "la dernière semaine",
               "MON": "le dernier mois", "QRT": "le dernier trimestre", "YEAR": "la dernière année"}

_DERIVED: dict[str, str] = {
    "DAYS_EMPLOYED_ANOM": "Sans emploi (retraité ou chômeur)",
    "CREDIT_INCOME_RATIO": "Montant du crédit / revenu annuel",
    "ANNUITY_INCOME_RATIO": "Échéance / revenu annuel",
    "PAYMENT_RATE": "Échéance / montant du crédit (vitesse de remboursement)",
    "CREDIT_TERM": "Montant du crédit / échéance (durée en années)",
    "GOODS_CREDIT_RATIO": "Prix du bien / montant du crédit",
    "CREDIT_GOODS_DIFF": "Montant du crédit au-delà du prix du bien",
    "DAYS_EMPLOYED_PERC": "Part de la vie passée dans l'emploi actuel",
    "INCOME_PER_PERSON": "Revenu par membre de la famille",
    "AGE_YEARS": "Âge (années)",
    "EXT_SOURCES_MEAN": "Moyenne des scores externes",
    "EXT_SOURCES_MIN": "Score externe le plus bas",
    "EXT_SOURCES_MAX": "Score externe le plus haut",
    "EXT_SOURCES_STD": "Dispersion des scores externes",
    "EXT_SOURCES_MISSING": "Nombre de scores externes manquants",
    "DOCUMENT_COUNT": "Nombre de documents fournis",
    "PHONE_CHANGE_AGE_RATIO": "Changement de téléphone / âge",
}

#: French of aggregates._COLUMN_LABELS (the same keys).
_COLUMNS_FR: dict[str, str] = {
    "DAYS_CREDIT": "jours depuis l'ouverture du crédit",
    "DAYS_CREDIT_ENDDATE": "jours jusqu'à la fin du crédit",
    "DAYS_CREDIT_UPDATE": "jours depuis la dernière mise à jour du bureau",
    "CREDIT_DAY_OVERDUE": "jours de retard",
    "AMT_CREDIT_MAX_OVERDUE": "plus grand montant jamais en retard",
    "AMT_CREDIT_SUM": "montant du crédit",
    "AMT_CREDIT_SUM_DEBT": "dette restante",
    "AMT_CREDIT_SUM_OVERDUE": "montant en retard actuellement",
    "AMT_CREDIT_SUM_LIMIT": "plafond de crédit",
    "AMT_ANNUITY": "échéance",
    "CNT_CREDIT_PROLONG": "nombre de prolongations",
    "MONTHS_BALANCE_SIZE": "mois d'historique",
    "STATUS_LATE_SHARE": "part des mois payés en retard",
    "STATUS_CLOSED_SHARE": "part des mois clos",
    "IS_ACTIVE": "part des crédits actifs",
    "IS_SOLD_OR_BAD_DEBT": "part des crédits cédés ou en créance douteuse",
    "IS_MICROLOAN": "part des microcrédits",
    "IS_CREDIT_CARD": "part des cartes de crédit",
    "IS_CAR_LOAN": "part des prêts automobiles",
    "IS_MORTGAGE": "part des prêts immobiliers",
    "AMT_APPLICATION": "montant demandé",
    "AMT_CREDIT": "montant accordé",
    "APP_CREDIT_PERC": "rapport du montant demandé au montant accordé",
    "AMT_DOWN_PAYMENT": "apport",
    "AMT_GOODS_PRICE": "prix du bien",
    "RATE_DOWN_PAYMENT": "taux d'apport",
    "DAYS_DECISION": "jours depuis la décision",
    "CNT_PAYMENT": "durée (échéances)",
    "HOUR_APPR_PROCESS_START": "heure de la demande",
    "IS_REFUSED": "part refusée",
    "IS_APPROVED": "part acceptée",
    "IS_CANCELED": "part annulée",
    "IS_REVOLVING": "part des crédits renouvelables",
    "IS_CONSUMER": "part des crédits à la consommation",
    "IS_REJECT_SCOFR": "part refusée pour score ou fraude (SCOFR)",
    "IS_REJECT_HC": "part refusée par la politique de crédit (HC)",
    "IS_REJECT_LIMIT": "part refusée pour plafond",
    "IS_WALK_IN": "part des demandes spontanées en agence",
    "IS_CHANNEL_AP_CASH": "part par le canal espèces AP+",
    "IS_YIELD_HIGH": "part dans le groupe à taux élevé",
    "IS_CLIENT_NEW": "part en tant que nouveau client",
    "NFLAG_INSURED_ON_APPROVAL": "part assurée à l'acceptation",
    "MONTHS_BALANCE": "mois d'historique",
    "SK_DPD": "jours de retard de paiement",
    "SK_DPD_DEF": "jours de retard de paiement (avec tolérance)",
    "CNT_INSTALMENT_FUTURE": "échéances restant à payer",
    "IS_COMPLETED": "part des mois terminés",
    "IS_LATE": "part des mois en retard",
    "NUM_INSTALMENT_VERSION": "versions de l'échéancier",
    "DPD": "jours payés en retard",
    "DBD": "jours payés en avance",
    "PAYMENT_PERC": "part de l'échéance payée",
    "PAYMENT_DIFF": "montant impayé par échéance",
    "AMT_INSTALMENT": "échéance due",
    "AMT_PAYMENT": "montant payé",
    "DAYS_ENTRY_PAYMENT": "jours depuis le paiement",
    "IS_UNDERPAID": "part des échéances sous-payées",
    "AMT_BALANCE": "solde",
    "AMT_CREDIT_LIMIT_ACTUAL": "plafond de la carte",
    "UTILISATION": "utilisation du plafond (solde / plafond)",
    "AMT_DRAWINGS_CURRENT": "retraits",
    "AMT_DRAWINGS_ATM_CURRENT": "retraits au distributeur",
    "CNT_DRAWINGS_ATM_CURRENT": "nombre de retraits au distributeur",
    "CNT_DRAWINGS_CURRENT": "nombre de retraits",
    "AMT_PAYMENT_CURRENT": "paiement mensuel",
    "AMT_INST_MIN_REGULARITY": "échéance mensuelle minimale",
    "CNT_INSTALMENT_MATURE_CUM": "échéances payées jusqu'ici",
}

#: French of aggregates._FUNC_LABELS, placed after the column ("Dette restante, moyenne").
_FUNCS_FR = {"mean": "moyenne", "min": "minimum", "max": "maximum", "sum": "total",
             "var": "variance", "nunique": "nombre distinct"}

#: Per prefix: (the count label, the scope in parentheses), as aggregates._PREFIX_SCOPE.
_SCOPES_FR: dict[str, tuple[str, str]] = {
    "BURO": ("Nombre de crédits au bureau", "tous les crédits au bureau"),
    "ACTIVE": ("Nombre de crédits actifs au bureau", "crédits actifs au bureau"),
    "CLOSED": ("Nombre de crédits clos au bureau", "crédits clos au bureau"),
    "PREV": ("Nombre de demandes précédentes", "toutes les demandes précédentes"),
    "APPROVED": ("Nombre de demandes précédentes acceptées", "demandes précédentes acceptées"),
    "REFUSED": ("Nombre de demandes précédentes refusées", "demandes précédentes refusées"),
    "POS": ("Nombre de mois de prêts point de vente et espèces",
            "mois de prêts point de vente et espèces"),
    "INSTAL": ("Nombre d'échéances", "échéances"),
    "CC": ("Nombre de mois de carte de crédit", "mois de carte de crédit"),
}


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _aggregate_label(aggregate: Aggregate) -> str:
    prefix = aggregate.name.split("_", 1)[0]
    count_label, scope = _SCOPES_FR[prefix]
    if aggregate.column is None:
        return count_label
    what = _COLUMNS_FR[aggregate.column]
    if aggregate.column.startswith("IS_") or aggregate.column.endswith("_SHARE"):
        return f"{_capitalised(what)} ({scope})"
    return f"{_capitalised(what)}, {_FUNCS_FR[aggregate.func]} ({scope})"


def _generated_application() -> dict[str, str]:
    labels = {}
    for suffix, stat in _STATS_FR.items():
        for measure in BUILDING_MEASURES:
            labels[f"{measure}_{suffix}"] = (
                f"Immeuble : {_BUILDING_MEASURES_FR[measure]} (normalisé, {stat})")
    for name in DOCUMENT_FLAGS:
        labels[name] = f"A fourni le document {name.rsplit('_', 1)[1]}"
    for name in REQ_BUREAU_COLUMNS:
        period = _PERIODS_FR[name.rsplit("_", 1)[1]]
        labels[name] = f"Demandes au bureau de crédit sur {period}"
    return labels


FRENCH_LABELS: dict[str, str] = {
    **_APPLICATION,
    **_generated_application(),
    **_DERIVED,
    **{aggregate.name: _aggregate_label(aggregate) for aggregate in AGGREGATES},
}


def french_label(name: str) -> str:
    """The French label of feature ``name``; KeyError if it has none."""
    return FRENCH_LABELS[name]
