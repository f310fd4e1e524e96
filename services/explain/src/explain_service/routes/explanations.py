"""POST /v1/explanations and /v1/explanations/image: one applicant's explanation."""

from __future__ import annotations

import base64
import unicodedata
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse, Response
from sqlalchemy import Engine

from credit_core.web.app import require_json
from credit_core.web.auth import Principal
from credit_core.web.errors import error_responses
from credit_core.web.json_keys import StrictJSONRoute
from explain_service.deps import CallerDep, EngineDep, Explainers, ModelsDep, SettingsDep
from explain_service.explanations.assemble import explain
from explain_service.rendering.chart import render
from explain_service.rendering.waterfall import alt_text
from explain_service.responses import ExplanationResponse, ImageResponse
from explain_service.schemas import ExplanationRequest, ImageRequest
from explain_service.settings import ExplainSettings

from .common import explainer_for, subject_for

router = APIRouter(route_class=StrictJSONRoute, prefix="/v1/explanations", tags=["explanations"],
                   dependencies=[Depends(require_json)],
                   responses=error_responses(403, 404, 409))


def _explain(body: ExplanationRequest, engine: Engine, models: Explainers,
             settings: ExplainSettings, caller: Principal) -> dict[str, Any]:
    subject = subject_for(engine, body, models, caller)
    explainer = explainer_for(models, subject.version)
    return explain(explainer, subject, body.top or settings.top_reasons,
                   body.waterfall_steps or settings.waterfall_steps, body.group_families)


@router.post("", response_model=ExplanationResponse, summary="Explain one applicant")
def create_explanation(body: ExplanationRequest, engine: EngineDep, models: ModelsDep,
                       settings: SettingsDep, caller: CallerDep) -> Response:
    """Exact SHAP contributions, reasons in plain words and waterfall data for one applicant."""
    return JSONResponse(_explain(body, engine, models, settings, caller))


def _title(result: dict[str, Any], language: str) -> str:
    subject = result["subject"]
    who = (f"client {subject['client_id']}" if subject["client_id"] is not None
           else "application" if language == "en" else "demande")
    outcome = result["decision"] if language == "en" else {
        "approved": "accepté", "refused": "refusé"}[result["decision"]]
    model = result["model"]
    return (f"{who}, {model['name']} v{model['version']}: {100 * result['probability']:.1f}% "
            f"/ {100 * result['threshold']:.1f}% ({outcome})")


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.replace("−", "-").replace("“", '"')
                                   .replace("”", '"'))
    return folded.encode("ascii", "ignore").decode("ascii")


@router.post("/image", summary="The explanation's waterfall as an image",
             response_class=Response,
             responses={200: {"model": ImageResponse,
                              "content": {"image/png": {}, "image/svg+xml": {}},
                              "description": "The image, its text alternative in X-Alt-Text "
                                             "(JSON with the image in base64 when embed is "
                                             "true)"}})
def explanation_image(body: ImageRequest, engine: EngineDep, models: ModelsDep,
                      settings: SettingsDep, caller: CallerDep) -> Response:
    """The waterfall as PNG or SVG, with a text alternative (header, or JSON with embed)."""
    result = _explain(body, engine, models, settings, caller)
    alts = {language: alt_text(result["waterfall"], result["probability"], result["threshold"],
                               result["decision"], language) for language in ("en", "fr")}
    title = _title(result, body.language)
    content = render(result["waterfall"], title, alts[body.language], body.format,
                     body.language, result["waterfall"]["raw_threshold"])
    media_type = "image/png" if body.format == "png" else "image/svg+xml"
    if body.embed:
        return JSONResponse(ImageResponse(
            model=result["model"], media_type=media_type, title=title, alt_text=alts,
            image_base64=base64.b64encode(content).decode("ascii")).model_dump())
    return Response(content, media_type=media_type,
                    headers={"X-Alt-Text": _ascii(alts[body.language]),
                             "Content-Language": body.language})
