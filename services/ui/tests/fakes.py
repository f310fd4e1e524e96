"""Fake peers (scoring, explain, monitoring) with realistic answers, for the dashboard's tests.

One ``Peers`` object answers every route the dashboard calls, with the shapes the real
services return. Tests use it through ``httpx.MockTransport`` (``transport()``) or as a real
HTTP process (``python services/ui/tests/fakes.py --port P``) for the browser tests. The
probability falls with the credit amount, so what-if and counterfactuals behave like the model.
"""

from __future__ import annotations

import argparse
import math
import re
import uuid
from typing import Any

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

KEY = "ck_uitest00_" + "s" * 32
USERS = {"ada": ("correct horse", "advisor"), "olga": ("ops password", "ops")}
THRESHOLD = 0.1
TEST_IDS = [100001 + 7 * i for i in range(30)]
TRAIN_IDS = [200002 + 7 * i for i in range(30)]
MODEL = {"name": "credit-default", "version": "3"}
TOP = [("EXT_SOURCES_MEAN", "Average of the external scores"),
       ("CREDIT_TERM", "Credit amount / annuity (term in years)"),
       ("AMT_CREDIT", "Credit amount"), ("AGE_YEARS", "Age (years)"),
       ("AMT_INCOME_TOTAL", "Total annual income"), ("DAYS_EMPLOYED", "Employment length")]


def application(client_id: int) -> dict[str, Any]:
    credit = 250_000.0 + (client_id % 17) * 65_000
    return {
        "NAME_CONTRACT_TYPE": "Cash loans" if client_id % 3 else "Revolving loans",
        "CODE_GENDER": "F", "FLAG_OWN_CAR": "N", "FLAG_OWN_REALTY": "Y", "CNT_CHILDREN": 0,
        "AMT_INCOME_TOTAL": 120_000.0 + (client_id % 13) * 15_000, "AMT_CREDIT": credit,
        "AMT_ANNUITY": round(credit / 18, 1), "AMT_GOODS_PRICE": round(credit * 0.9, 1),
        "NAME_INCOME_TYPE": "Working", "NAME_EDUCATION_TYPE": "Higher education",
        "NAME_HOUSING_TYPE": "House / apartment", "DAYS_BIRTH": -365 * (25 + client_id % 40),
        "DAYS_EMPLOYED": -365 * (1 + client_id % 15), "EXT_SOURCE_1": None,
        "EXT_SOURCE_2": round(0.25 + (client_id % 11) / 20, 3),
        "EXT_SOURCE_3": round(0.3 + (client_id % 7) / 15, 3), "ORGANIZATION_TYPE": "Self-employed",
    }


def values(app: dict[str, Any]) -> dict[str, float | None]:
    scores = [app[k] for k in ("EXT_SOURCE_1", "EXT_SOURCE_2", "EXT_SOURCE_3") if app.get(k)]
    annuity = app.get("AMT_ANNUITY") or app["AMT_CREDIT"] / 20
    return {"EXT_SOURCES_MEAN": sum(scores) / len(scores) if scores else None,
            "CREDIT_TERM": app["AMT_CREDIT"] / annuity, "AMT_CREDIT": app["AMT_CREDIT"],
            "AGE_YEARS": -app["DAYS_BIRTH"] / 365.25, "AMT_INCOME_TOTAL": app["AMT_INCOME_TOTAL"],
            "DAYS_EMPLOYED": app.get("DAYS_EMPLOYED")}


def probability(app: dict[str, Any], history: float = 0.0) -> float:
    v = values(app)
    ratio = app["AMT_CREDIT"] / app["AMT_INCOME_TOTAL"]
    raw = -3.2 + 0.35 * ratio - 4.0 * ((v["EXT_SOURCES_MEAN"] or 0.5) - 0.5) + history
    return round(1 / (1 + math.exp(-raw)), 4)


def _reason(name: str, label: str, contribution: float, value: Any) -> dict[str, Any]:
    direction = "toward_refusal" if contribution > 0 else "toward_approval"
    effect = {"en": "raises" if contribution > 0 else "lowers",
              "fr": "augmente" if contribution > 0 else "diminue"}
    shown = "—" if value is None else f"{value:,.2f}"
    return {"key": name, "label": label, "label_fr": f"{label} (fr)", "grouped": False,
            "features": [name], "contribution": contribution, "direction": direction,
            "protected": False, "actionable": name.startswith("AMT"),
            "main": {"feature": name, "label": label, "label_fr": f"{label} (fr)", "value": value,
                     "display": {"en": shown, "fr": shown}, "contribution": contribution},
            "text": {"en": f"{label} ({shown}) {effect['en']} the estimated risk of default.",
                     "fr": f"{label} ({shown}) {effect['fr']} le risque estimé de défaut."},
            "suggestion": None}


class Peers:
    """The three fake services; ``down`` names those that answer 503."""

    def __init__(self, down: tuple[str, ...] = ()) -> None:
        self.down = set(down)
        self.decisions: dict[str, dict[str, Any]] = {}
        self.reviews: dict[str, dict[str, Any]] = {}
        self.calls: list[str] = []
        self.bodies: list[tuple[str, Any]] = []
        self.queries: list[tuple[str, dict[str, str]]] = []
        self.sessions: set[str] = set()  # open dashboard sessions (ids)

    def transport(self) -> httpx.MockTransport:
        def handler(request: httpx.Request) -> httpx.Response:
            body = request.read()
            status, data = self.handle(request.method, request.url.path,
                                       dict(request.url.params), httpx.Response(200, content=body)
                                       .json() if body else None,
                                       request.headers.get("authorization", ""),
                                       request.url.port or 80)
            return httpx.Response(status, json=data)

        return httpx.MockTransport(handler)

    def handle(self, method: str, path: str, params: dict[str, str], body: Any, auth: str,
               port: int = 0) -> tuple[int, Any]:
        service = {8002: "explain", 8003: "monitoring"}.get(port) or _service_of(path)
        self.calls.append(f"{method} {path}")
        self.bodies.append((f"{method} {path}", body))
        self.queries.append((f"{method} {path}", dict(params)))
        if path in ("/healthz", "/readyz"):
            return (503, {"status": "not ready"}) if service in self.down else (200, {})
        if service in self.down:
            return 503, {"detail": f"{service} is unavailable; retry later"}
        if auth != f"Bearer {KEY}":
            return 401, {"detail": "missing or invalid API key"}
        shape = re.sub(r"^/v1/auth/sessions/[A-Za-z0-9_-]{20,}", "/v1/auth/sessions/{}", path)
        route = getattr(self, _ROUTES.get((method, re.sub(r"/[0-9a-f]{8}-[0-9a-f-]{27}|/\d+", "/{}",
                                                          shape)), "missing"))
        return route(path=path, params=params, body=body)  # type: ignore[no-any-return]

    def missing(self, **_: Any) -> tuple[int, Any]:
        return 404, {"detail": "Not Found"}

    # scoring
    def score(self, body: Any, **_: Any) -> tuple[int, Any]:
        if body.get("client_id") is not None:
            client_id = int(body["client_id"])
            if client_id not in TEST_IDS + TRAIN_IDS:
                return 404, {"detail": f"unknown client id(s): {client_id}"}
            p = probability(application(client_id), history=0.4 if client_id % 2 else -0.2)
        else:
            features = body["features"]
            if features.get("AMT_CREDIT", 1) <= 0:
                return 422, {"detail": [{"loc": ["body", "features", "AMT_CREDIT"],
                                         "msg": "Input should be greater than or equal to 1",
                                         "type": "greater_than_equal"}]}
            client_id, p = None, probability(features)
        decision_id = str(uuid.uuid4())
        answer = {"client_id": client_id, "probability": p, "threshold": THRESHOLD,
                  "decision": "refused" if p >= THRESHOLD else "approved", "model": MODEL,
                  "decision_id": decision_id, "scored_at": "2025-11-25T10:00:00Z"}
        self.decisions[decision_id] = answer
        return 200, answer

    def clients(self, params: dict[str, str], **_: Any) -> tuple[int, Any]:
        ids = TEST_IDS if params.get("split", "test") == "test" else TRAIN_IDS
        found = [i for i in ids if str(i).startswith(params.get("q", ""))]
        page = found[int(params.get("offset", 0)):][: int(params.get("limit", 50))]
        split = params.get("split", "test")
        return 200, {"total": len(found), "clients": [
            {"client_id": i, "split": split, "AMT_CREDIT": application(i)["AMT_CREDIT"],
             "AMT_INCOME_TOTAL": application(i)["AMT_INCOME_TOTAL"],
             "NAME_CONTRACT_TYPE": application(i)["NAME_CONTRACT_TYPE"]} for i in page]}

    def client(self, path: str, **_: Any) -> tuple[int, Any]:
        client_id = int(path.rsplit("/", 1)[1])
        if client_id not in TEST_IDS + TRAIN_IDS:
            return 404, {"detail": f"unknown client id {client_id}"}
        return 200, {"client_id": client_id, "split": "test", "application": application(client_id)}

    def model(self, **_: Any) -> tuple[int, Any]:
        return 200, {**MODEL, "threshold": THRESHOLD, "calibration": "isotonic", "metrics": {},
                     "features": [{"name": n, "label": label} for n, label in TOP]}

    def login(self, body: Any, **_: Any) -> tuple[int, Any]:
        user = USERS.get(body.get("username", ""))
        if not user or user[0] != body.get("password"):
            return 401, {"detail": "unknown user name or wrong password"}
        return 200, {"username": body["username"], "role": user[1]}

    def review(self, path: str, body: Any, **_: Any) -> tuple[int, Any]:
        decision_id = path.split("/")[3]
        decision = self.decisions.get(decision_id)
        if decision is None:
            return 404, {"detail": f"unknown decision {decision_id}"}
        if decision_id in self.reviews:
            return 409, {"detail": f"decision {decision_id} was already reviewed"}
        override = body["final_decision"] != decision["decision"]
        if override and not (body.get("comment") or "").strip():
            return 422, {"detail": [{"loc": ["body", "comment"], "type": "value_error",
                                     "msg": "a justification is required to override"}]}
        self.reviews[decision_id] = {
            "decision_id": decision_id, "model_decision": decision["decision"],
            "final_decision": body["final_decision"], "override": override,
            "advisor": body["advisor"], "comment": body.get("comment"),
            "reviewed_at": "2025-11-25T10:05:00Z"}
        return 201, self.reviews[decision_id]

    def distribution(self, params: dict[str, str], **_: Any) -> tuple[int, Any]:
        name, bins = params["feature"], int(params.get("bins", 30))
        low, high = {"EXT_SOURCES_MEAN": (0.0, 1.0), "CREDIT_TERM": (5.0, 45.0),
                     "AGE_YEARS": (20.0, 70.0)}.get(name, (0.0, 2_000_000.0))
        edges = [low + (high - low) * i / bins for i in range(bins + 1)]
        repaid = [int(900 * math.exp(-((i - bins * 0.55) / (bins / 5)) ** 2)) + 3
                  for i in range(bins)]
        defaulted = [int(120 * math.exp(-((i - bins * 0.4) / (bins / 5)) ** 2)) + 1
                     for i in range(bins)]
        client_id = params.get("client_id")
        value = values(application(int(client_id))).get(name) if client_id else None
        similar = params.get("similar") == "true"
        if similar:
            repaid, defaulted = [c // 9 for c in repaid], [c // 7 for c in defaulted]
        return 200, {"feature": name, "label": dict(TOP).get(name, name), "edges": edges,
                     "repaid": repaid, "defaulted": defaulted, "applicant_value": value,
                     "population": "similar" if similar else "all",
                     "description": "the 1000 training clients closest to this applicant"
                     if similar else "all training clients with a known outcome"}

    def scatter(self, params: dict[str, str], **_: Any) -> tuple[int, Any]:
        points = []
        for i in range(int(params.get("n", 1500))):
            u, v = (i * 0.618034) % 1, (i * 0.414214) % 1
            target = 1 if (u + v) / 2 < 0.12 or i % 13 == 0 else 0
            points.append({"x": round(u, 4), "y": round(10 + 30 * v, 3), "target": target,
                           "probability": round(0.02 + 0.4 * (1 - u) * v, 4)})
        labels = dict(TOP)
        return 200, {"x": params["x"], "y": params["y"], "x_label": labels.get(params["x"]),
                     "y_label": labels.get(params["y"]), "points": points}

    def percentile(self, params: dict[str, str], **_: Any) -> tuple[int, Any]:
        share = min(99.5, 100 * float(params["probability"]) / 0.35)
        return 200, {"percentile": round(share, 2), "population": "all clients", "clients": 9000}

    # explain
    def explanation(self, body: Any, **_: Any) -> tuple[int, Any]:
        if body.get("client_id") is not None:
            app = application(int(body["client_id"]))
            history = 0.4 if int(body["client_id"]) % 2 else -0.2
            # A what-if on a known client: the application changed, the history kept.
            app = {k: v for k, v in {**app, **(body.get("changes") or {})}.items() if v is not None}
        else:
            app, history = body["features"], 0.0
        v, p = values(app), probability(app, history)
        contributions = {"EXT_SOURCES_MEAN": -4.0 * ((v["EXT_SOURCES_MEAN"] or 0.5) - 0.5),
                         "CREDIT_TERM": 0.02 * (v["CREDIT_TERM"] - 15),
                         "AMT_CREDIT": 0.35 * app["AMT_CREDIT"] / app["AMT_INCOME_TOTAL"] - 0.8,
                         "AGE_YEARS": -0.15, "AMT_INCOME_TOTAL": -0.1}
        reasons = [_reason(n, dict(TOP)[n], c, v[n]) for n, c in contributions.items()]
        return 200, {
            "model": MODEL, "probability": p, "threshold": THRESHOLD,
            "decision": "refused" if p >= THRESHOLD else "approved",
            "contributions": [{"feature": n, "label": dict(TOP)[n], "value": v[n],
                               "contribution": contributions.get(n, 0.0)} for n, _ in TOP],
            "reasons": {"toward_refusal": sorted([r for r in reasons if r["contribution"] > 0],
                                                 key=lambda r: -r["contribution"]),
                        "toward_approval": sorted([r for r in reasons if r["contribution"] <= 0],
                                                  key=lambda r: r["contribution"])},
            "reference": {"available": True, "note": None}}

    def importance(self, **_: Any) -> tuple[int, Any]:
        return 200, {"model": MODEL, "features": [
            {"rank": i + 1, "feature": n, "label": label, "label_fr": label, "importance": 1 / (i + 1),
             "protected": n == "AGE_YEARS"} for i, (n, label) in enumerate(TOP)]}

    def counterfactual(self, body: Any, **_: Any) -> tuple[int, Any]:
        decision = self.decisions.get(body.get("decision_id", ""))
        client_id = (decision or {}).get("client_id") or body.get("client_id")
        app = dict(application(int(client_id))) if client_id else dict(body.get("features", {}))
        # As the real search: a known client's credit history stays in the score.
        history = (0.4 if int(client_id) % 2 else -0.2) if client_id else 0.0
        credit = app["AMT_CREDIT"]
        while probability(app, history) >= THRESHOLD and app["AMT_CREDIT"] > credit * 0.3:
            app["AMT_CREDIT"] = round(app["AMT_CREDIT"] * 0.97, -3)
        if probability(app, history) >= THRESHOLD:
            text = {"en": "No feasible change within the bounds.", "fr": "Aucun changement."}
            return 200, {"status": "no_feasible_change", "counterfactual": None,
                         "alternatives": [], "message": text}
        app["AMT_ANNUITY"] = round(app["AMT_CREDIT"] / 18, 1)
        text = {"en": f"Borrow {app['AMT_CREDIT']:,.0f} instead of {credit:,.0f}; approved.",
                "fr": f"Emprunter {app['AMT_CREDIT']:,.0f} au lieu de {credit:,.0f} ; accepté."}
        return 200, {"status": "found", "message": text, "alternatives": [], "counterfactual": {
            "levers": ["amount"], "change": {"credit": app["AMT_CREDIT"]},
            "probability": probability(app, history), "decision": "approved", "application": app,
            "text": text}}

    # the advisors' sessions (kept by the scoring service)
    def open_session(self, body: Any, **_: Any) -> tuple[int, Any]:
        session_id = f"session-{len(self.sessions)}-{'x' * 24}"
        self.sessions.add(session_id)
        return 201, {"session": session_id}

    def session_active(self, path: str, **_: Any) -> tuple[int, Any]:
        return (200, {"active": True}) if path.split("/")[4] in self.sessions else (404, {})

    def end_session(self, path: str, **_: Any) -> tuple[int, Any]:
        self.sessions.discard(path.split("/")[4])
        return 200, {}

    # monitoring
    def drift(self, **_: Any) -> tuple[int, Any]:
        return 200, {"id": 4, "created_at": "2025-11-24T06:00:00+00:00", "status": "done",
                     "number_of_columns": 120, "drifted_columns": 3, "drift_share": 0.025,
                     "dataset_drift": False}


_ROUTES = {
    ("POST", "/v1/scores"): "score", ("GET", "/v1/clients"): "clients",
    ("GET", "/v1/clients/{}"): "client", ("GET", "/v1/model"): "model",
    ("POST", "/v1/auth/login"): "login", ("POST", "/v1/decisions/{}/review"): "review",
    ("GET", "/v1/population/distribution"): "distribution",
    ("GET", "/v1/population/scatter"): "scatter",
    ("GET", "/v1/population/percentile"): "percentile",
    ("POST", "/v1/explanations"): "explanation", ("GET", "/v1/importance"): "importance",
    ("POST", "/v1/counterfactuals"): "counterfactual",
    ("GET", "/v1/drift/runs/latest"): "drift",
    ("POST", "/v1/auth/sessions"): "open_session",
    ("GET", "/v1/auth/sessions/{}"): "session_active",
    ("POST", "/v1/auth/sessions/{}/end"): "end_session",
}


def _service_of(path: str) -> str:
    if path.startswith(("/v1/explanations", "/v1/importance", "/v1/counterfactuals")):
        return "explain"
    return "monitoring" if path.startswith("/v1/drift") else "scoring"


def create_fake_app(peers: Peers) -> FastAPI:
    """The fake peers as one ASGI app (all three services' routes on one port)."""
    app = FastAPI()

    @app.api_route("/{path:path}", methods=["GET", "POST"])
    async def any_route(request: Request, path: str) -> JSONResponse:
        raw = await request.body()
        body = httpx.Response(200, content=raw).json() if raw else None
        status, data = peers.handle(request.method, "/" + path, dict(request.query_params),
                                    body, request.headers.get("authorization", ""))
        return JSONResponse(data, status_code=status)

    return app


if __name__ == "__main__":
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--down", action="append", default=[])
    arguments = parser.parse_args()
    uvicorn.run(create_fake_app(Peers(tuple(arguments.down))), host="127.0.0.1",
                port=arguments.port, log_level="warning")
