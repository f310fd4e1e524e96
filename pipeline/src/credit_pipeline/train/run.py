"""``run_training``: the six phases in order, each a run nested under one parent run.

The holdout is split off first, by a seeded hash of the client ids; phases 1 to 4 see only the
training split (``phases/context.py``), and only phase 5 and the champion comparison of phase 6
touch the holdout. The phases, one module each under ``phases/``:

1. ``p1_baselines``  every family with textbook settings;
2. ``p2_search``     a budgeted search per family, a deeper one, the imbalance treatment
                     (``--data`` files: ``p2_search/by_data``, families compared on repeated CV);
3. ``p3_retained``   the retained model on the whole training split (calibration out of fold;
                     ``--data`` files: ``p3_by_data``);
4. ``p4_threshold``  the cost-optimal threshold (out of fold), giving the scoring bundle;
5. ``p5_holdout``    the one look at the holdout;
6. ``p6_publish``    attachments, registration and the champion rule.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import mlflow
from credit_core.bundle import ModelBundle
from credit_core.settings import CoreSettings, get_core_settings
from credit_pipeline.train.datasets.training_data import TrainingData
from credit_pipeline.train.mlflow_io.tracking import DataRecord, configure_tracking, log_data_used
from credit_pipeline.train.modelling.evaluate import Evaluation
from credit_pipeline.train.modelling.split import HoldoutSplit, holdout_split
from credit_pipeline.train.phases.context import PhaseContext
from credit_pipeline.train.phases.p1_baselines import BaselineResult, run_baselines
from credit_pipeline.train.phases.p2_search.by_data import select_by_data
from credit_pipeline.train.phases.p2_search.selection import Selection, select_model
from credit_pipeline.train.phases.p3_by_data import retain_by_data
from credit_pipeline.train.phases.p3_retained import train_retained
from credit_pipeline.train.phases.p4_threshold import decide_threshold, scoring_bundle
from credit_pipeline.train.phases.p5_holdout import HoldoutCheck, run_holdout
from credit_pipeline.train.phases.p6_publish import Candidate, Registration, publish
from credit_pipeline.train.profiles import Profile, get_profile

__all__ = ["TrainingResult", "run_training"]

logger = logging.getLogger(__name__)


@dataclass
class TrainingResult:
    """What a training run produced: the run, the registered version and the key figures."""

    run_id: str
    experiment_id: str
    model_name: str
    version: str
    model_uri: str
    promoted: bool
    promotion_reason: str
    threshold: float
    oof: Evaluation
    holdout: HoldoutCheck
    calibration: str
    selection: Selection
    baselines: list[BaselineResult]
    split: HoldoutSplit
    data_fingerprint: str
    importance: dict[str, float]
    timings: dict[str, float]
    bundle: ModelBundle


@contextmanager
def _timed(timings: dict[str, float], phase: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    timings[phase] = time.perf_counter() - started
    logger.info("phase %s done in %.1fs", phase, timings[phase])


def _log_setup(profile: Profile, record: DataRecord, split: HoldoutSplit,
               train_rows: int) -> None:
    mlflow.log_params({f"profile.{k}": str(v) for k, v in asdict(profile).items()})
    mlflow.log_params({"holdout.fingerprint": split.fingerprint,
                       "holdout.rows": len(split.holdout_rows), "train.rows": train_rows})
    log_data_used(record, record.rows, context="full")


def run_training(
    data: TrainingData,
    profile: str | Profile = "quick",
    settings: CoreSettings | None = None,
    model_name: str | None = None,
    force: bool = False,
) -> TrainingResult:
    """Run every phase on ``data``, register the model, and move the alias if it wins."""
    profile = profile if isinstance(profile, Profile) else get_profile(profile)
    settings = settings or get_core_settings()
    model_name = model_name or settings.model_name
    experiment_id = configure_tracking(settings, model_name)
    split = holdout_split(data.ids, data.target, profile.holdout_share, profile.seed)
    holdout = data.subset(split.holdout_rows)
    record = DataRecord.of(data)
    context = PhaseContext.build(data.subset(split.train_rows), profile, record)
    timings: dict[str, float] = {}
    run_name = f"train {data.dataset_name} ({profile.name})"
    with mlflow.start_run(run_name=run_name, tags={"phase": "training",
                                                   "profile": profile.name}) as parent:
        _log_setup(profile, record, split, len(split.train_rows))
        with _timed(timings, "baselines"):
            baselines = run_baselines(context)
        by_data = data.family_by_data
        with _timed(timings, "search"):
            selection = select_by_data(context) if by_data else select_model(context)
        with _timed(timings, "final"):
            retained = (retain_by_data if by_data else train_retained)(context, selection)
            threshold = decide_threshold(context, retained)
        with _timed(timings, "publish"), tempfile.TemporaryDirectory() as staging:
            bundle = scoring_bundle(context, retained, threshold, model_name)
            check, fairness = run_holdout(bundle, holdout, split, record, retained.importance)
            candidate = Candidate(selection, retained, threshold, check, fairness,
                                  _best_baseline(baselines) if by_data else None)
            registration = publish(Path(staging), bundle, candidate, context, holdout, split,
                                   (model_name, settings.model_alias), force)
        mlflow.log_metrics({f"seconds_{phase}": value for phase, value in timings.items()})
    return _result(parent.info.run_id, experiment_id, model_name, registration, candidate,
                   baselines, split, record, timings, bundle)


def _best_baseline(baselines: list[BaselineResult]) -> tuple[str, float] | None:
    """The cheapest real baseline (not the prior), out of fold on the training split."""
    real = [b for b in baselines if b.family != "dummy"]
    if not real:
        return None
    best = min(real, key=lambda b: b.evaluation.cost.per_client)
    return best.family, best.evaluation.cost.per_client


def _result(run_id: str, experiment_id: str, model_name: str, registration: Registration,
            candidate: Candidate, baselines: list[BaselineResult], split: HoldoutSplit,
            record: DataRecord, timings: dict[str, float], bundle: ModelBundle) -> TrainingResult:
    return TrainingResult(
        run_id=run_id, experiment_id=experiment_id, model_name=model_name,
        version=registration.version, model_uri=registration.model_uri,
        promoted=registration.decision.promoted, promotion_reason=registration.decision.reason,
        threshold=bundle.threshold, oof=candidate.threshold.oof, holdout=candidate.check,
        calibration=bundle.calibration.method, selection=candidate.selection,
        baselines=baselines, split=split, data_fingerprint=record.fingerprint,
        importance=candidate.retained.importance, timings=timings, bundle=bundle,
    )
