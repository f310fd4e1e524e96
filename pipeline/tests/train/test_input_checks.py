"""Bad ``--data`` files: exit code 2 and one line, before any model work; sniffed formats."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from credit_pipeline.commands.train import train_command
from credit_pipeline.train.datasets.reading import sniff_format
from credit_pipeline.train.datasets.tabular import MIN_PER_CLASS, MIN_ROWS, load_tabular
from credit_pipeline.train.datasets.training_data import TrainingInputError

runner = CliRunner()


def applicants(rows: int = 200, defaults: int | None = None, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    target = (rng.random(rows) < 0.3).astype(int)
    if defaults is not None:
        target = np.zeros(rows, dtype=int)
        target[:defaults] = 1
    return pd.DataFrame({
        "id": np.arange(rows),
        "age": rng.integers(19, 75, rows),
        "purpose": rng.choice(["voiture", "électroménager", "études"], rows),
        "sex": rng.choice(["female", "male"], rows),
        "amount": rng.lognormal(8, 0.6, rows).round(2),
        "default": target,
    })


def train(path: Path, *extra: str) -> tuple[int, str]:
    application = typer.Typer()
    application.command("train")(train_command)
    application.command("noop")(lambda: None)
    result = runner.invoke(application, ["train", "--data", str(path), "--id-column", "id",
                                         "--target-column", "default", *extra])
    return result.exit_code, result.output


def assert_refused(path: Path, fragment: str, *extra: str) -> None:
    started = time.perf_counter()
    code, output = train(path, *extra)
    assert time.perf_counter() - started < 5  # well under a second alone; CI machines share
    assert code == 2, output
    assert len(output.strip().splitlines()) == 1, output
    assert output.startswith("error: ") and fragment in output, output
    assert "Traceback" not in output


def test_semicolon_and_latin1_are_sniffed(tmp_path: Path) -> None:
    frame = applicants()
    reference = load_tabular(_write(tmp_path / "comma.csv", frame), "id", "default")
    path = tmp_path / "semicolon.csv"
    frame.to_csv(path, sep=";", index=False, encoding="latin-1", decimal=".")
    assert sniff_format(path).separator == ";"
    assert sniff_format(path).encoding in ("cp1252", "latin-1")
    data = load_tabular(path, "id", "default")
    pd.testing.assert_frame_equal(data.features, reference.features)
    assert data.category_levels["purpose"] == reference.category_levels["purpose"]


def _write(path: Path, frame: pd.DataFrame, **options: object) -> Path:
    frame.to_csv(path, index=False, **options)  # type: ignore[call-overload]
    return path


@pytest.mark.parametrize(("name", "maker", "fragment", "extra"), [
    ("semicolon given as comma", lambda p: _write(p, applicants(), sep=";"),
     "id column 'id' not found", ("--sep", ",")),
    ("latin-1 read as utf-8", lambda p: _write(p, applicants(), encoding="latin-1"),
     "is not valid utf-8; give the file's encoding with --encoding", ("--encoding", "utf-8")),
    ("binary named .csv", lambda p: p.write_bytes(bytes(range(256)) * 40) and p,
     "binary content", ()),
    ("12 rows, one default", lambda p: _write(p, applicants(12, defaults=1)),
     f"at least {MIN_ROWS} rows", ()),
    ("30 rows", lambda p: _write(p, applicants(30)), f"at least {MIN_ROWS} rows", ()),
    ("too few defaults", lambda p: _write(p, applicants(500, defaults=MIN_PER_CLASS - 1)),
     f"{MIN_PER_CLASS} of each class", ()),
    ("duplicate ids", lambda p: _write(p, applicants().assign(id=lambda f: f["id"] % 190)),
     "has 10 duplicate values (first: 0, 1, 2, 3, 4)", ()),
    ("ragged rows", lambda p: p.write_text("id,a,default\n1,2,0\n2,3,4,5,1\n") and p,
     "give the delimiter with --sep", ()),
    ("unknown protected column", lambda p: _write(p, applicants()), "--protected ['nope']",
     ("--protected", "nope")),
])
def test_bad_file_is_one_line_and_exit_2(tmp_path: Path, name: str, maker: object,
                                         fragment: str, extra: tuple[str, ...]) -> None:
    path = maker(tmp_path / "file.csv")  # type: ignore[operator]
    assert_refused(path, fragment, *extra)


def test_missing_target_lists_every_column(tmp_path: Path) -> None:
    frame = applicants().assign(**{f"extra_{i:02d}": 0 for i in range(30)})
    path = _write(tmp_path / "wide.csv", frame)
    with pytest.raises(TrainingInputError) as error:
        load_tabular(path, "id", "nope")
    assert "its 36 columns" in str(error.value) and "'extra_29'" in str(error.value)


def test_protected_columns_become_segments(tmp_path: Path) -> None:
    path = _write(tmp_path / "people.csv", applicants())
    data = load_tabular(path, "id", "default", protected=["sex", "age"])
    assert list(data.segments.columns) == ["sex", "age"]
    assert set(data.segments["sex"]) == {"female", "male"}
    assert set(data.segments["age"]) <= {"<30", "30-39", "40-49", "50-59", "60+"}
    # The Home Credit default: nothing to report without CODE_GENDER and DAYS_BIRTH.
    assert load_tabular(path, "id", "default").segments.empty
