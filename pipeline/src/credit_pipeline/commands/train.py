"""``credit train`` and ``credit results``: typer commands over ``run_training`` and the report.

Heavy imports (MLflow, LightGBM, the feature store) happen inside the commands so that
``credit --help`` stays fast.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

__all__ = ["ProfileChoice", "results_command", "train_command"]


class ProfileChoice(StrEnum):
    """The training budgets offered on the command line."""

    quick = "quick"
    full = "full"


@dataclass(frozen=True)
class FileOptions:
    """How ``--data`` is read: the roles of its columns and its text format."""

    id_column: str | None
    target_column: str | None
    positive_label: str | None
    encoding: str | None
    separator: str | None
    protected: list[str] | None


def _load(data: Path | None, options: FileOptions, settings: object) -> object:
    from credit_pipeline.train.datasets.tabular import load_tabular
    from credit_pipeline.train.datasets.training_data import TrainingInputError

    if data is None:
        try:
            from credit_pipeline.features.training import load_training_data  # the feature store
        except ImportError as error:
            raise TrainingInputError(f"the client features loader is unavailable ({error}); "
                                     "train on a file with --data") from None
        return load_training_data(settings)  # type: ignore[arg-type]
    if not options.id_column or not options.target_column:
        raise typer.BadParameter("--data needs --id-column and --target-column")
    return load_tabular(data, options.id_column, options.target_column, options.positive_label,
                        encoding=options.encoding, separator=options.separator,
                        protected=options.protected)


def _protected(value: str | None) -> list[str] | None:
    names = [name.strip() for name in (value or "").split(",") if name.strip()]
    return names or None


def train_command(
    profile: Annotated[ProfileChoice, typer.Option(
        help="Budget: quick (about 5 min at full size) or full (under 45 min).")] =
        ProfileChoice.quick,
    data: Annotated[Path | None, typer.Option(
        help="Train on this CSV or Parquet file instead of the client features table (at "
             "least 100 rows and 20 of each class).")] = None,
    id_column: Annotated[str | None, typer.Option(
        help="With --data: the id column (never a feature).")] = None,
    target_column: Annotated[str | None, typer.Option(
        help="With --data: the binary target column (0/1 or two levels).")] = None,
    positive_label: Annotated[str | None, typer.Option(
        help="With --data: the target level meaning default, when not obvious.")] = None,
    model_name: Annotated[str | None, typer.Option(
        help="Registered model (and experiment) name; default MODEL_NAME (credit-default).")] =
        None,
    sep: Annotated[str | None, typer.Option(
        help="With --data: the CSV delimiter (default: sniffed among , ; TAB |).")] = None,
    encoding: Annotated[str | None, typer.Option(
        help="With --data: the text encoding (default: UTF-8, else Windows-1252/Latin-1).")] =
        None,
    protected: Annotated[str | None, typer.Option(
        help="With --data: COL[,COL] reported in the model card's fairness table (numeric "
             "ones in age bands); default CODE_GENDER and DAYS_BIRTH when present.")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Move the champion alias even if the new model does not win, or "
                        "loses to a trivial policy or a baseline (recorded on the version).")] =
        False,
) -> None:
    """Run the training phases, log them to MLflow, register the model, apply the alias rule."""
    # Before LightGBM loads OpenMP: idle threads sleep instead of spinning, which keeps two
    # threads fast when the services share the two cores (spinning made fits 5x slower).
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    from credit_core.mlflow_credentials import TrackingCredentialsError, load_tracking_credentials
    from credit_core.settings import disable_telemetry, get_core_settings
    from credit_pipeline.train.datasets.training_data import TrainingInputError

    disable_telemetry()
    logging.getLogger("credit_pipeline.train").setLevel(logging.INFO)
    settings = get_core_settings()
    try:
        load_tracking_credentials()  # a missing password file is said now, not after training
    except TrackingCredentialsError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(code=2) from None
    options = FileOptions(id_column, target_column, positive_label, encoding, sep,
                          _protected(protected))
    try:
        # Before MLflow and LightGBM are imported: a bad file is refused in well under a second.
        training_data = _load(data, options, settings)
    except TrainingInputError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(code=2) from None
    from credit_pipeline.train.run import run_training
    result = run_training(training_data, profile.value, settings, model_name, force)  # type: ignore[arg-type]
    holdout = result.holdout.evaluation
    typer.echo(
        f"{result.model_name} v{result.version}: holdout AUC {holdout.roc_auc:.4f}, cost "
        f"{holdout.cost.total:,.0f} ({holdout.cost.per_client:.4f}/client) at threshold "
        f"{result.threshold:.4f}; {'promoted' if result.promoted else 'not promoted'} "
        f"({result.promotion_reason}); run {result.run_id}"
    )


def results_command(
    out: Annotated[Path, typer.Option(help="Where to write the page.")] = Path("docs/results.md"),
    model_name: Annotated[str | None, typer.Option(
        help="Experiment (model) name; default MODEL_NAME.")] = None,
    run_id: Annotated[str | None, typer.Option(
        help="A training run id; default the latest finished one.")] = None,
    card: Annotated[Path | None, typer.Option(
        help="Where to write that run's model card; default model-card.md beside the page.")] = None,
) -> None:
    """Regenerate docs/results.md (and docs/model-card.md) from the MLflow runs of a training."""
    from credit_core.settings import get_core_settings
    from credit_pipeline.train.mlflow_io.results import training_run, write_model_card, write_results
    from credit_pipeline.train.mlflow_io.tracking import configure_tracking

    settings = get_core_settings()
    experiment_id = configure_tracking(settings, model_name or settings.model_name)
    try:
        parent = training_run(experiment_id, run_id)
        path = write_results(out, parent)
        card_path = write_model_card(card or out.with_name("model-card.md"), parent)
    except LookupError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(code=1) from None
    typer.echo(f"wrote {path} and {card_path}")
