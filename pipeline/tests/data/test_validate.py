"""validate_dir and read_table on a tiny valid folder, then on one kind of breakage at a time."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from credit_pipeline.data.io import Problem, RawDataError, read_table
from credit_pipeline.data.raw_schema import RAW_TABLES
from credit_pipeline.data.validate import ValidationReport, format_report, validate_dir

from . import tiny_dataset as tiny


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny.write_tiny_dataset(tmp_path_factory.mktemp("pristine") / "raw")


@pytest.fixture
def folder(pristine: Path, tmp_path: Path) -> Path:
    """A fresh copy of the valid tiny folder, free to break."""
    return Path(shutil.copytree(pristine, tmp_path / "raw"))


def only_error(report: ValidationReport) -> Problem:
    assert len(report.errors) == 1, format_report(report)
    return report.errors[0]


def assert_error(report: ValidationReport, file: str, column: str | None, *words: str) -> Problem:
    """The report is not ok and holds an error on (file, column) whose reason has the words."""
    assert not report.ok
    assert report.frames == {}
    matching = [p for p in report.errors if (p.file, p.column) == (file, column)]
    assert matching, format_report(report)
    reason = matching[0].reason.lower()
    for word in words:
        assert word.lower() in reason, reason
    return matching[0]


# --- the valid folder ------------------------------------------------------------------------


def test_valid_folder_is_ok_and_keeps_the_frames(folder: Path) -> None:
    report = validate_dir(folder)
    assert report.ok and report.problems == [], format_report(report)
    assert set(report.frames) == set(RAW_TABLES)
    assert report.row_counts == {n: len(f) for n, f in tiny.build_frames().items()}
    for name, frame in report.frames.items():
        assert list(frame.columns) == list(RAW_TABLES[name].column_names)
    assert {n.file for n in report.notes} >= {"POS_CASH_balance.csv", "bureau_balance.csv"}
    assert all(n.share == 0 for n in report.notes)


def test_keep_frames_false_returns_no_frames(folder: Path) -> None:
    report = validate_dir(folder, keep_frames=False)
    assert report.ok and report.frames == {}
    assert report.row_counts["bureau"] == 18


def test_read_table_gives_the_schema_dtypes(folder: Path) -> None:
    for name, table in RAW_TABLES.items():
        frame = read_table(folder, name)
        assert list(frame.columns) == list(table.column_names)
        for column in table.columns:
            dtype = frame[column.name].dtype
            if column.dtype == "object":
                assert isinstance(dtype, pd.CategoricalDtype), column.name
                assert set(dtype.categories) <= set(column.levels), column.name
            else:
                assert dtype == column.dtype, (name, column.name, dtype)
    subset = read_table(folder, "bureau", ["CREDIT_ACTIVE", "SK_ID_BUREAU"])
    assert list(subset.columns) == ["SK_ID_BUREAU", "CREDIT_ACTIVE"]


def test_read_table_reads_a_quoted_level_with_a_comma(folder: Path) -> None:
    tiny.set_value(folder, "previous_application", 0, "NAME_TYPE_SUITE", "Spouse, partner")
    frame = read_table(folder, "previous_application")
    assert frame["NAME_TYPE_SUITE"].iat[0] == "Spouse, partner"
    assert validate_dir(folder).ok


def test_read_table_raises_a_raw_data_error(folder: Path) -> None:
    tiny.set_value(folder, "bureau", 1, "DAYS_CREDIT", "abc")
    with pytest.raises(RawDataError) as caught:
        read_table(folder, "bureau")
    assert (caught.value.file, caught.value.column) == ("bureau.csv", "DAYS_CREDIT")
    assert "'abc' (line 3)" in str(caught.value)
    assert read_table(folder, "bureau", ["SK_ID_BUREAU"]).shape == (18, 1)


# --- files and folder ------------------------------------------------------------------------


def test_missing_folder(tmp_path: Path) -> None:
    report = validate_dir(tmp_path / "nowhere")
    assert_error(report, str(tmp_path / "nowhere"), None, "folder does not exist")


def test_missing_file(folder: Path) -> None:
    tiny.path_of(folder, "bureau_balance").unlink()
    report = validate_dir(folder)
    assert only_error(report) == assert_error(report, "bureau_balance.csv", None, "missing")


def test_zero_byte_file(folder: Path) -> None:
    tiny.path_of(folder, "credit_card_balance").write_bytes(b"")
    assert_error(validate_dir(folder), "credit_card_balance.csv", None, "empty", "0 bytes")


def test_header_only_file(folder: Path) -> None:
    path = tiny.path_of(folder, "bureau")
    path.write_bytes(path.read_bytes().split(b"\n")[0] + b"\n")
    report = validate_dir(folder)
    assert_error(report, "bureau.csv", None, "header but no data rows")
    assert "bureau" not in report.row_counts


# --- header ----------------------------------------------------------------------------------


def test_missing_column(folder: Path) -> None:
    tiny.drop_column(folder, "previous_application", "AMT_CREDIT")
    report = validate_dir(folder)
    error = only_error(report)
    assert (error.file, error.column) == ("previous_application.csv", "AMT_CREDIT")
    assert "missing from the header" in error.reason


def test_extra_column_is_only_a_warning(folder: Path) -> None:
    tiny.add_column(folder, "bureau", "MY_NOTE", "hello")
    report = validate_dir(folder)
    assert report.ok and "MY_NOTE" not in report.frames["bureau"]
    [warning] = report.warnings
    assert (warning.file, warning.column) == ("bureau.csv", "MY_NOTE")
    assert "unknown column" in warning.reason


def test_reordered_columns_are_only_a_warning(folder: Path) -> None:
    frame = tiny.read_text(folder, "bureau")
    tiny.write_text(folder, "bureau", frame[list(reversed(frame.columns))])
    report = validate_dir(folder)
    assert report.ok
    [warning] = report.warnings
    assert warning.file == "bureau.csv" and "order" in warning.reason
    assert list(report.frames["bureau"].columns) == list(RAW_TABLES["bureau"].column_names)


# --- types and missing values ----------------------------------------------------------------


@pytest.mark.parametrize("text", ["abc", "1.5"])
def test_wrong_type_in_an_int_column(folder: Path, text: str) -> None:
    tiny.set_value(folder, "bureau", 4, "CNT_CREDIT_PROLONG", text)
    error = assert_error(validate_dir(folder), "bureau.csv", "CNT_CREDIT_PROLONG",
                         "not whole numbers", f"'{text}' (line 6)")
    assert error.reason.startswith("1 value(s)")


def test_text_in_a_float_column_and_in_a_second_column(folder: Path) -> None:
    tiny.set_value(folder, "installments_payments", 2, "AMT_PAYMENT", "12,5 EUR")
    tiny.set_value(folder, "installments_payments", 3, "SK_ID_CURR", "x")
    report = validate_dir(folder)
    assert_error(report, "installments_payments.csv", "AMT_PAYMENT", "not numbers", "line 4")
    assert_error(report, "installments_payments.csv", "SK_ID_CURR", "'x' (line 5)")


def test_missing_value_in_a_non_nullable_int_column(folder: Path) -> None:
    tiny.set_value(folder, "POS_CASH_balance", 7, "SK_DPD", "")
    report = validate_dir(folder)
    assert only_error(report) == assert_error(
        report, "POS_CASH_balance.csv", "SK_DPD", "1 missing value", "line(s) 9")


def test_unknown_level_is_a_warning_with_count_and_examples(folder: Path) -> None:
    for row in (1, 5):
        tiny.set_value(folder, "bureau_balance", row, "STATUS", "Z")
    report = validate_dir(folder)
    assert report.ok
    [warning] = report.warnings
    assert (warning.file, warning.column) == ("bureau_balance.csv", "STATUS")
    assert "'Z' (2 rows)" in warning.reason and "line(s) 3, 7" in warning.reason


# --- malformed files -------------------------------------------------------------------------


def test_row_with_too_many_fields(folder: Path) -> None:
    lines = tiny.path_of(folder, "bureau_balance").read_text().splitlines(keepends=True)
    lines[3] = lines[3].rstrip("\n") + ",extra\n"
    tiny.path_of(folder, "bureau_balance").write_text("".join(lines))
    error = assert_error(validate_dir(folder), "bureau_balance.csv", None,
                         "malformed", "line 4 has 4")
    assert "3 fields" in error.reason


def test_file_cut_in_the_middle_of_a_line(folder: Path) -> None:
    tiny.cut_bytes(folder, "installments_payments", 20)
    last = tiny.line_count(folder, "installments_payments") + 1
    assert_error(validate_dir(folder), "installments_payments.csv", None,
                 "truncated", f"last line (line {last})")


def test_missing_final_line_break_is_a_warning(folder: Path) -> None:
    tiny.cut_bytes(folder, "bureau", 1)
    report = validate_dir(folder)
    assert report.ok
    [warning] = report.warnings
    assert warning.file == "bureau.csv" and "last line (line 19)" in warning.reason


def test_unterminated_quote(folder: Path) -> None:
    tiny.append_bytes(folder, "bureau_balance", b'5000001,-9,"C\n5000001,-10,C\n')
    line = tiny.line_count(folder, "bureau_balance") - 1
    assert_error(validate_dir(folder), "bureau_balance.csv", None,
                 "never closed", f"line(s) {line}")


def test_latin1_file_names_the_byte_and_line(folder: Path) -> None:
    frame = tiny.read_text(folder, "application_test")
    frame.loc[1, "ORGANIZATION_TYPE"] = "Café"
    tiny.write_text(folder, "application_test", frame, encoding="latin-1")
    assert_error(validate_dir(folder), "application_test.csv", None,
                 "not valid utf-8", "0xe9", "(line 3)", "latin-1")


def test_utf8_accents_are_readable(folder: Path) -> None:
    tiny.set_value(folder, "application_test", 1, "ORGANIZATION_TYPE", "Café")
    report = validate_dir(folder)
    assert report.ok and [w.column for w in report.warnings] == ["ORGANIZATION_TYPE"]


# --- keys ------------------------------------------------------------------------------------


def test_duplicate_primary_key(folder: Path) -> None:
    tiny.append_copy_of_row(folder, "bureau", 2)
    error = assert_error(validate_dir(folder), "bureau.csv", "SK_ID_BUREAU",
                         "1 row(s) repeat a key", "5000003 (line 20)")
    assert error.severity == "error"


def test_duplicate_composite_key_is_a_warning(folder: Path) -> None:
    tiny.append_copy_of_row(folder, "POS_CASH_balance", 0, SK_DPD="3")
    report = validate_dir(folder)
    assert report.ok
    [warning] = report.warnings
    assert (warning.file, warning.column) == ("POS_CASH_balance.csv", "SK_ID_PREV, MONTHS_BALANCE")
    assert "1000001 / 0 (line 38)" in warning.reason


def test_orphan_client_in_a_satellite(folder: Path) -> None:
    tiny.set_value(folder, "credit_card_balance", 3, "SK_ID_CURR", "999999")
    assert_error(validate_dir(folder), "credit_card_balance.csv", "SK_ID_CURR",
                 "neither application_train.csv nor application_test.csv", "999999 (line 5)")


def test_orphan_loans_are_a_note_not_an_error(folder: Path) -> None:
    tiny.append_copy_of_row(folder, "POS_CASH_balance", 0, SK_ID_PREV="1999999")
    report = validate_dir(folder)
    assert report.ok and report.warnings == []
    [note] = [n for n in report.notes if n.file == "POS_CASH_balance.csv"]
    assert note.column == "SK_ID_PREV" and note.share == pytest.approx(1 / 19)
    assert "1 of 19" in note.message


def test_train_and_test_overlap(folder: Path) -> None:
    tiny.set_value(folder, "application_test", 0, "SK_ID_CURR", "100002")
    assert_error(validate_dir(folder), "application_test.csv", "SK_ID_CURR",
                 "in both application_train.csv and application_test.csv", "100002")


# --- TARGET ----------------------------------------------------------------------------------


def test_target_outside_0_1(folder: Path) -> None:
    tiny.set_value(folder, "application_train", 3, "TARGET", "2")
    report = validate_dir(folder)
    assert only_error(report) == assert_error(
        report, "application_train.csv", "TARGET", "0 or 1", "2 (line 5)")


def test_target_missing_value(folder: Path) -> None:
    tiny.set_value(folder, "application_train", 0, "TARGET", "")
    assert_error(validate_dir(folder), "application_train.csv", "TARGET", "missing value")


def test_target_in_the_test_file(folder: Path) -> None:
    tiny.add_column(folder, "application_test", "TARGET", "0")
    report = validate_dir(folder)
    assert only_error(report) == assert_error(report, "application_test.csv", "TARGET", "test")
    assert report.warnings == []


# --- the text report -------------------------------------------------------------------------


def test_format_report_names_file_column_and_verdict(folder: Path) -> None:
    tiny.set_value(folder, "bureau", 1, "DAYS_CREDIT", "abc")
    tiny.add_column(folder, "bureau", "MY_NOTE")
    text = format_report(validate_dir(folder))
    assert "NOT OK (1 error(s), 1 warning(s))" in text
    assert "bureau.csv, column DAYS_CREDIT: 1 value(s) are not whole numbers" in text
    assert "Warnings:\n  - bureau.csv, column MY_NOTE" in text
    assert "Rows: application_train.csv 6" in text


def test_examples_are_capped(folder: Path) -> None:
    frame = tiny.read_text(folder, "bureau_balance")
    frame["STATUS"] = [f"W{i}" for i in range(len(frame))]
    frame["MONTHS_BALANCE"] = "x"
    tiny.write_text(folder, "bureau_balance", frame)
    report = validate_dir(folder)
    [error] = report.errors
    assert error.reason.startswith("54 value(s)") and error.reason.count("(line") == 5
    [warning] = report.warnings
    assert warning.reason.startswith("54 value(s)") and warning.reason.count("rows)") == 5
