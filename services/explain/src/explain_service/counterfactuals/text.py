"""A counterfactual candidate described: its changes, the suggested application, a sentence."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from explain_service.counterfactuals.candidates import Candidates, Loan, suggested_application
from explain_service.wording.formatting import number, percent

__all__ = ["describe", "no_change_message"]

_NO_CHANGE = {
    "already_approved": {
        "en": "The application is already approved: nothing needs to change.",
        "fr": "La demande est déjà acceptée : rien n'a besoin de changer.",
    },
    "no_feasible_change": {
        "en": "No feasible change within the bounds: no smaller amount, other term or down "
              "payment allowed by the bounds brings the risk below the threshold.",
        "fr": "Aucun changement possible dans les limites : aucun montant plus faible, aucune "
              "autre durée ni aucun apport autorisés ne ramènent le risque sous le seuil.",
    },
}


def no_change_message(status: str) -> dict[str, str]:
    """Why there is no counterfactual, in English and French."""
    return dict(_NO_CHANGE[status])


def _optional(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def _sentence(language: str, loan: Loan, change: dict[str, Any], probability: float,
              threshold: float) -> str:
    def amount(value: float | None) -> str:
        return "?" if value is None else number(value, 0, language)

    en = language == "en"
    parts = []
    if change["down_payment"]:
        share = change["down_payment_share_of_goods_price"]
        parts.append(f"pay {amount(change['down_payment'])} up front"
                      f"{f' ({percent(share, language)} of the goods price)' if share else ''}"
                      if en else f"verser un apport de {amount(change['down_payment'])}"
                      f"{f' ({percent(share, language)} du prix du bien)' if share else ''}")
    if change["credit"] != loan.credit:
        parts.append(f"borrow {amount(change['credit'])} instead of {amount(loan.credit)}" if en
                     else f"emprunter {amount(change['credit'])} au lieu de "
                          f"{amount(loan.credit)}")
    if change["term_months"] is not None and loan.term_months is not None \
            and round(change["term_months"], 6) != round(loan.term_months, 6):
        months = number(change["term_months"], 0, language)
        parts.append(f"repay over {months} months" if en else f"rembourser sur {months} mois")
    if change["annuity"] is not None and loan.annuity is not None:
        parts.append(f"annuity {amount(change['annuity'])} instead of {amount(loan.annuity)}"
                     if en else f"échéance de {amount(change['annuity'])} au lieu de "
                                f"{amount(loan.annuity)}")
    joined = ", ".join(parts) or ("keep the loan as it is" if en else "garder le prêt tel quel")
    separator = "; " if en else " ; "
    risk = (f"estimated probability of default {percent(probability, language, 1)} "
            f"(threshold {percent(threshold, language, 1)}): approved" if en else
            f"probabilité de défaut estimée {percent(probability, language, 1)} "
            f"(seuil {percent(threshold, language, 1)}) : accepté")
    return f"{joined[:1].upper()}{joined[1:]}{separator}{risk}."


def describe(candidates: Candidates, index: int, loan: Loan, application: Mapping[str, Any],
             threshold: float, levers: list[str], size: float) -> dict[str, Any]:
    """Candidate ``index`` as the API returns it (``size``: how far it moves the loan)."""
    credit = float(candidates.credit[index])
    annuity = _optional(candidates.annuity[index])
    down_payment = float(candidates.down_payment[index])
    probability = float(candidates.probability[index])
    change = {
        "credit": credit, "annuity": annuity,
        "goods_price": _optional(candidates.goods_price[index]),
        "term_months": credit / annuity if annuity else None,
        "down_payment": down_payment,
        "down_payment_share_of_goods_price":
            down_payment / loan.goods_price if loan.goods_price and down_payment else None,
    }
    return {
        "levers": levers,
        "change": change,
        "change_size": size,
        "financed_reduction_share": (loan.credit - credit) / loan.credit,
        "annuity_change_share": ((annuity - loan.annuity) / loan.annuity
                                 if annuity is not None and loan.annuity else None),
        "probability": probability,
        "decision": "refused" if probability >= threshold else "approved",
        "application": {key: value for key, value in
                        suggested_application(application, candidates, index).items()
                        if value is not None},
        "text": {language: _sentence(language, loan, change, probability, threshold)
                 for language in ("en", "fr")},
    }
