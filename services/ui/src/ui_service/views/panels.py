"""Texts of the what-if result, the counterfactual, the recorded decision, the monitoring line
and the applicant list."""

from __future__ import annotations

from html import escape
from typing import Any

from ui_service.i18n import amount, level_label, moment, number, percent, t
from ui_service.views.decision import decision_words, gauge_svg
from ui_service.views.tables import message, paragraph

__all__ = ["client_choices", "counterfactual_html", "monitoring_html", "review_html",
           "search_status", "whatif_html"]


def whatif_html(result: dict[str, Any] | None, language: str) -> str:
    """The simulated decision with the gauge, the comparison and the notes."""
    if not result:
        return message(t("whatif_pending", language))
    score = result.get("score")
    if not score:
        return message(t("scoring_down", language), "error")
    probability, threshold, decision = score["probability"], score["threshold"], score["decision"]
    text = t("whatif_result", language, decision=decision_words(decision, language),
             probability=percent(probability, language), threshold=percent(threshold, language))
    parts = [gauge_svg(probability, threshold, decision, language),
             f'<p class="ui-decision ui-{escape(decision)}" id="whatif-text">'
             f"<strong>{escape(text)}</strong></p>"]
    before = result.get("before")
    if before is not None:
        change = probability - before
        signed = ("+" if change >= 0 else "−") + number(abs(100 * change), 1, language)
        parts.append(paragraph(t("whatif_compare", language, before=percent(before, language),
                                 change=f"{signed} points")))
    if result.get("history_kept"):
        parts.append(message(t("whatif_history_kept", language)))
    elif result.get("known_client"):
        parts.append(message(t("whatif_history", language)))
    if result.get("scored_by") == "scoring":
        parts.append(message(t("whatif_scored_by", language), "warning"))
    return "".join(parts)


def counterfactual_html(result: dict[str, Any] | None, language: str) -> str:
    """The suggestion in words ("with a credit of X the application would be approved")."""
    if not result:
        return ""
    status = result.get("status")
    if status == "down":
        return message(t("cf_down", language), "warning")
    if status in ("not_refused", "already_approved"):
        return paragraph(t("cf_not_refused", language))
    text = (result.get("message") or {}).get(language)
    if not text and result.get("counterfactual"):
        text = result["counterfactual"].get("text", {}).get(language)
    parts = [paragraph(str(text or ""), "ui-suggestion")]
    for alternative in result.get("alternatives") or []:
        other = (alternative.get("text") or {}).get(language)
        if other:
            parts.append(paragraph("• " + str(other), "ui-small"))
    return "".join(parts)


def review_html(result: dict[str, Any] | None, model_decision: str | None,
                language: str) -> str:
    """What happened to the advisor's decision, in words."""
    if not result:
        return ""
    problem = result.get("problem")
    if problem:
        key = {"none": "record_none", "conflict": "record_conflict", "down": "record_down",
               "choose": "record_choose"}.get(problem)
        if problem == "needs_comment":
            text = t("record_needs_comment", language,
                     decision=decision_words(model_decision or "refused", language))
        elif problem == "invalid":
            text = t("record_invalid", language, reason=result.get("reason", ""))
        else:
            text = t(key or "record_down", language)
        return message(text, "error")
    answer = result["answer"]
    final = decision_words(answer["final_decision"], language)
    parts = [message(t("record_ok", language, final=final, advisor=answer.get("advisor", ""),
                       when=moment(answer.get("reviewed_at"), language)), "success")]
    if answer.get("override"):
        parts.append(paragraph(t("record_override", language, decision=decision_words(
            answer.get("model_decision", model_decision or "refused"), language))))
    return "".join(parts)


def monitoring_html(status: dict[str, Any] | None, language: str) -> str:
    """The model's drift status in one line."""
    if not status:
        return ""
    if status.get("problem"):
        return message(t("monitoring_down", language))
    if status.get("none"):
        return paragraph(t("monitoring_none", language), "ui-small")
    key = "monitoring_alert" if status.get("alert") else "monitoring_ok"
    return paragraph(t(key, language, when=status["when"][:16].replace("T", " "),
                       drifted=status["drifted"], total=status["total"]), "ui-small")


def client_choices(found: dict[str, Any], language: str) -> list[tuple[str, str]]:
    """The applicants found, as (label, client id) radio choices."""
    choices = []
    for client in found.get("clients", []):
        label = t("client_choice", language, id=client["client_id"],
                  contract=level_label(str(client.get("NAME_CONTRACT_TYPE") or "—"), language),
                  credit=amount(client.get("AMT_CREDIT"), language),
                  income=amount(client.get("AMT_INCOME_TOTAL"), language))
        choices.append((label, str(client["client_id"])))
    return choices


def search_status(found: dict[str, Any], language: str) -> str:
    """How many applicants matched, or why none are listed."""
    if found.get("problem") == "key":
        return message(t("scoring_key", language), "error")
    if found.get("problem"):
        return message(t("scoring_down", language), "error")
    shown, total = len(found.get("clients", [])), found.get("total", 0)
    if not shown:
        return message(t("results_none", language, query=found.get("query", "")))
    return paragraph(t("results_count", language, shown=shown, total=number(total, 0, language)),
                     "ui-small")
