"""``run_training``: the phases in order, each a run nested under one parent run.

1. baselines, 2. search (per family, deep, imbalance), 3. the retained model on the whole
training split (calibration chosen out of fold), 4. the threshold (out of fold) and the one
holdout check, then registration and the champion rule. The holdout is split off first, by a
seeded hash of the client ids, and only ``holdout_run`` and the champion comparison touch it.
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
from credit_pipeline.train.baselines import BaselineResult, run_baselines
from credit_pipeline.train.context import PhaseContext
from credit_pipeline.train.data import TrainingData
from credit_pipeline.train.evaluate import Evaluation
from credit_pipeline.train.holdout import HoldoutCheck
from credit_pipeline.train.profiles import Profile, get_profile
from credit_pipeline.train.publish import Registration, publish
from credit_pipeline.train.retained import Retained, train_retained
from credit_pipeline.train.selection import Selection, select_model
from credit_pipeline.train.split import HoldoutSplit, holdout_split
from credit_pipeline.train.tracking import DataRecord, configure_tracking, log_data_used

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
        with _timed(timings, "search"):
            selection = select_model(context)
        with _timed(timings, "final"):
            retained = train_retained(context, selection)
        with _timed(timings, "publish"), tempfile.TemporaryDirectory() as staging:
            bundle, check, registration = publish(
                Path(staging), context, holdout, split, selection, retained,
                (model_name, settings.model_alias), force,
            )
        mlflow.log_metrics({f"seconds_{phase}": value for phase, value in timings.items()})
    return _result(parent.info.run_id, experiment_id, model_name, registration, retained,
                   check, selection, baselines, split, record, timings, bundle)


def _result(run_id: str, experiment_id: str, model_name: str, registration: Registration,
            retained: Retained, check: HoldoutCheck, selection: Selection,
            baselines: list[BaselineResult], split: HoldoutSplit, record: DataRecord,
            timings: dict[str, float], bundle: ModelBundle) -> TrainingResult:
    return TrainingResult(
        run_id=run_id, experiment_id=experiment_id, model_name=model_name,
        version=registration.version, model_uri=registration.model_uri,
        promoted=registration.decision.promoted, promotion_reason=registration.decision.reason,
        threshold=bundle.threshold, oof=retained.oof, holdout=check,
        calibration=bundle.calibration.method, selection=selection, baselines=baselines,
        split=split, data_fingerprint=record.fingerprint,
        importance=retained.importance, timings=timings, bundle=bundle,
    )
