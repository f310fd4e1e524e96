"""The dashboard's sections: services, data drift, prediction drift, realised performance.

Each returns an HTML fragment; every chart comes with its title, description and data table.
"""

from __future__ import annotations

from html import escape
from typing import Any

from monitoring_service.dashboard.charts import (
    CURRENT,
    DRIFT,
    OK,
    REFERENCE,
    THRESHOLD,
    Bar,
    Series,
    bar_chart,
    data_table,
    grouped_histogram,
    line_chart,
)

__all__ = ["drift_section", "performance_section", "prediction_section", "services_section"]


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def _num(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}g}"


def services_section(peers: dict[str, dict[str, Any]]) -> str:
    """The readiness of the other services."""
    rows = "".join(
        f"<tr><th scope=\"row\">{escape(name)}</th><td><span class=\""
        f"{'good' if peer['state'] == 'ready' else 'bad'}\">{escape(peer['state'])}</span></td>"
        f"<td>{escape(peer['url'])}</td><td>{escape(str(peer.get('detail') or ''))}</td></tr>"
        for name, peer in peers.items())
    return ('<section aria-labelledby="s-services"><h2 id="s-services">Services</h2><table>'
            '<thead><tr><th scope="col">Service</th><th scope="col">State</th><th scope="col">'
            f"Address</th><th scope=\"col\">Detail</th></tr></thead><tbody>{rows}</tbody>"
            "</table></section>")


def _drift_summary(run: dict[str, Any]) -> str:
    current = run.get("current") or {}
    verdict = ('<span class="bad">data set drift</span>' if run["dataset_drift"]
               else '<span class="good">no data set drift</span>')
    return (f"<p>Latest run #{run['id']} ({escape(str(current.get('source')))}, "
            f"{current.get('rows', 0):,} rows, {escape(str(run['created_at'])[:19])} UTC): "
            f"{run['drifted_columns']} of {run['number_of_columns']} columns drifted "
            f"({_pct(run['drift_share'])}); {verdict} (threshold "
            f"{_pct(run['drift_share_threshold'])}). Share of the model's importance that "
            f"drifted: {_pct(run.get('importance_weighted_drift'))}. "
            + (f'<a href="/dashboard/runs/{run["id"]}/report">Evidently report</a> '
               f"(status: {escape(run['report']['status'])})." if run["report"]["url"]
               else "No Evidently report for this run.") + "</p>")


def _drift_history(history: list[dict[str, Any]]) -> str:
    if not history:
        return "<p>No drift run yet.</p>"
    labels = [str(h["created_at"])[5:16] for h in history]
    threshold = next((h["threshold"] for h in reversed(history) if h["threshold"]), 0.5)
    chart = line_chart(
        "Drift share over time", f"Share of drifted columns over the last {len(history)} runs; "
        f"latest {_pct(history[-1]['drift_share'])}, data set drift at {_pct(threshold)}.",
        labels, [Series("drift share", [h["drift_share"] for h in history], CURRENT)], 1.0,
        [("data set drift threshold", threshold, THRESHOLD)])
    table = data_table("Drift share by run", ["run", "time (UTC)", "source", "drift share",
                                              "data set drift"],
                       [(h["id"], str(h["created_at"])[:19], h["source"], _pct(h["drift_share"]),
                         "yes" if h["dataset_drift"] else "no") for h in history])
    return f"<h3>Drift share over time</h3><figure>{chart}</figure>{table}"


def _top_columns(run: dict[str, Any], limit: int = 15) -> str:
    columns = run["columns"][:limit]
    peak = max((c["importance"] or 0.0) for c in columns) if columns else 0.0
    uses_importance = peak > 0
    bars = [Bar(c["label"] if len(c["label"]) <= 32 else c["column"],
                (c["importance"] or 0.0) if uses_importance else c["score"] / c["threshold"],
                DRIFT if c["drifted"] else OK,
                f"{'drifted' if c['drifted'] else 'stable'}: {c['test']} {_num(c['score'])}"
                f" / {_num(c['threshold'])}") for c in columns]
    measure = "global importance (share of mean |SHAP|)" if uses_importance else \
        "score relative to its threshold"
    chart = bar_chart(f"Columns, drifted first, by {measure}",
                      f"{sum(c['drifted'] for c in columns)} of the {len(columns)} columns shown "
                      f"drifted; bars give the {measure}; red bars drifted.", bars,
                      max(b.value for b in bars) if bars else 1.0)
    table = data_table("Column verdicts", ["column", "type", "test", "score", "threshold",
                                           "drifted", "importance"],
                       [(c["column"], c["type"], c["test"], _num(c["score"], 4),
                         _num(c["threshold"]), "yes" if c["drifted"] else "no",
                         _pct(c["importance"])) for c in run["columns"]])
    skipped = "".join(f"<li>{escape(s['column'])}: {escape(s['reason'])}</li>"
                      for s in run.get("skipped_columns") or [])
    return (f"<h3>Top drifted columns with their importance</h3><figure>{chart}</figure>{table}"
            + (f"<p>Not tested:</p><ul>{skipped}</ul>" if skipped else ""))


def prediction_section(run: dict[str, Any] | None, history: list[dict[str, Any]]) -> str:
    """Score distribution and approval rate, latest and over time."""
    parts = ['<section aria-labelledby="s-pred"><h2 id="s-pred">Prediction drift</h2>']
    prediction = (run or {}).get("prediction") or {}
    histogram = prediction.get("histogram")
    if histogram:
        approval = prediction["approval_rate"]
        parts.append(
            f"<p>Score drift: {escape(str(prediction.get('test')))} "
            f"{_num(prediction.get('score'))} (threshold {_num(prediction.get('drift_threshold'))}"
            f"): {'drifted' if prediction.get('drifted') else 'stable'}. Approval rate "
            f"{_pct(approval['current'])} against {_pct(approval['reference'])} in the "
            f"reference.</p><figure>" + grouped_histogram(
                "Score distribution, reference and current", "Share of applicants by "
                f"probability of default in {len(histogram['edges']) - 1} bins; mean "
                f"{_num(prediction.get('current_mean'))} against "
                f"{_num(prediction.get('reference_mean'))} in the reference.",
                histogram["edges"], [Series("reference", histogram["reference"], REFERENCE),
                                     Series("current", histogram["current"], CURRENT)])
            + "</figure>" + data_table("Score distribution", ["bin", "reference", "current"], [
                (f"{histogram['edges'][i]:.2f}-{histogram['edges'][i + 1]:.2f}", _pct(r), _pct(c))
                for i, (r, c) in enumerate(zip(histogram["reference"], histogram["current"],
                                               strict=True))]))
    rated = [h for h in history if h["approval_current"] is not None]
    if rated:
        parts.append("<h3>Approval rate over time</h3><figure>" + line_chart(
            "Approval rate over time", f"Approval rate of the last {len(rated)} runs; latest "
            f"{_pct(rated[-1]['approval_current'])}, reference "
            f"{_pct(rated[-1]['approval_reference'])}.",
            [str(h["created_at"])[5:16] for h in rated],
            [Series("current", [h["approval_current"] for h in rated], CURRENT),
             Series("reference", [h["approval_reference"] for h in rated], REFERENCE, True)],
            1.0) + "</figure>" + data_table(
                "Approval rate by run", ["run", "time (UTC)", "current", "reference"],
                [(h["id"], str(h["created_at"])[:19], _pct(h["approval_current"]),
                  _pct(h["approval_reference"])) for h in rated]))
    if len(parts) == 1:
        parts.append("<p>No scores to compare yet.</p>")
    return "".join(parts) + "</section>"


def performance_section(performance: dict[str, Any]) -> str:
    """Realised AUC, default rate and cost by week against training."""
    weeks, training = performance["weeks"], performance["training"]
    head = '<section aria-labelledby="s-perf"><h2 id="s-perf">Realised performance</h2>'
    if not weeks:
        return head + "<p>No outcomes matched with decisions yet (POST /v1/outcomes).</p></section>"
    lines = [(f"training {name}", training[key], color) for name, key, color in
             (("AUC", "roc_auc", THRESHOLD), ("default rate", "default_rate", REFERENCE))
             if training.get(key) is not None]
    chart = line_chart(
        "Realised AUC and default rate by week", f"{len(weeks)} weeks of decisions with "
        f"outcomes; training AUC {_num(training.get('roc_auc'))}, training default rate "
        f"{_pct(training.get('default_rate'))}.", [w["week"] for w in weeks],
        [Series("realised AUC", [w["roc_auc"] for w in weeks], CURRENT),
         Series("default rate", [w["default_rate"] for w in weeks], DRIFT, True)], 1.0, lines)
    table = data_table("Realised performance by week", [
        "week", "outcomes", "default rate", "AUC", "cost per client", "approval rate"], [
        (w["week"], w["outcomes"], _pct(w["default_rate"]), _num(w["roc_auc"]),
         _num(w["business_cost_per_client"]), _pct(w["approval_rate"])) for w in weeks])
    return (head + f"<p>Training: AUC {_num(training.get('roc_auc'))}, cost per client "
            f"{_num(training.get('business_cost_per_client'))}, default rate "
            f"{_pct(training.get('default_rate'))}. Outcomes without a prior decision: "
            f"{performance['unmatched_outcomes']}.</p><figure>{chart}</figure>{table}</section>")


def drift_section(latest: dict[str, Any] | None, history: list[dict[str, Any]]) -> str:
    """The latest run's summary, the drift share over time and the top drifted columns."""
    body = '<section aria-labelledby="s-drift"><h2 id="s-drift">Data drift</h2>'
    if latest is None:
        return body + ("<p>No drift run yet (POST /v1/drift/runs, or set "
                       "MONITORING_SCHEDULE_SECONDS).</p></section>")
    return body + _drift_summary(latest) + _drift_history(history) + _top_columns(latest) + \
        "</section>"
