"""The bundled BPI Challenge 2015 log (municipality 1) reproduces its README's figures.

van Dongen, B.F. (2015) BPI Challenge 2015, 4TU.ResearchData,
doi:10.4121/uuid:a0addfda-2044-4541-a450-fdcc9fe16d17.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from simhall.logs import BPIC15, LogReadResult, bpic15_path, read_bpic15, read_event_log
from simhall.logs.bpic15 import closed_by_status

SHA256 = "69877f4caf428edac346d788c1167097ac831aa581d9d01f7f04bd3b275f39fd"


@pytest.fixture(scope="module")
def bpic15() -> LogReadResult:
    return read_bpic15()


def test_bundled_copy_is_unmodified() -> None:
    path = bpic15_path()
    assert "shared" not in path.parts
    assert hashlib.sha256(path.read_bytes()).hexdigest() == SHA256
    assert "doi:10.4121/uuid:a0addfda" in (path.parent / "README.md").read_text(encoding="utf-8")


def test_counts(bpic15: LogReadResult) -> None:
    e = bpic15.events
    assert bpic15.meta["n_traces"] == 1199
    assert bpic15.meta["n_rows_read"] == 52217  # events in the file
    assert e["case_id"].nunique() == 1199
    assert e["activity"].nunique() == 398
    assert e["resource"].nunique() == 23
    assert set(e["item_id"]) == {"building_permit"}
    # 5 events repeat an earlier one of their case to the second (same activity, time and
    # resource): dropped and reported; 14 date-only repeats are kept as possible duplicates.
    issues = bpic15.issues.set_index("check")
    assert issues.loc["duplicate_event", "count"] == 5
    assert issues.loc["possible_duplicate", "count"] == 14
    assert issues.loc["possible_duplicate", "action"] == "kept"
    assert set(issues.index) == {"duplicate_event", "possible_duplicate"}
    assert len(e) == 52217 - 5


def test_lifecycle_and_precision(bpic15: LogReadResult) -> None:
    e = bpic15.events
    assert e["start"].isna().all() and e["ready"].isna().all()
    assert any("no start timestamps" in n for n in bpic15.notes)
    share = bpic15.low_precision.mean()
    assert 0.455 < share < 0.465  # README: about 46% without time of day
    assert any("% of timestamps carry no time of day" in n for n in bpic15.notes)
    assert e["end"].min() >= pd.Timestamp("2010-10-01")
    assert e["end"].min() < pd.Timestamp("2010-11-01")


def test_throughput_times(bpic15: LogReadResult) -> None:
    ends = bpic15.events.groupby("case_id")["end"]
    days = (ends.max() - ends.min()).dt.total_seconds() / 86400
    assert days.mean() == pytest.approx(96, abs=1)
    assert days.median() == pytest.approx(61, abs=1)
    assert days.quantile(0.9) == pytest.approx(197, abs=1)


def test_cases_frame(bpic15: LogReadResult) -> None:
    cases = bpic15.cases
    assert cases is not None
    assert list(cases.columns) == ["case_id", "caseStatus", "startDate", "endDate"]
    assert len(cases) == 1199
    assert cases["caseStatus"].value_counts().to_dict() == {"G": 696, "O": 502, "T": 1}
    assert cases["startDate"].dtype == "datetime64[ns]"


def test_preset_through_generic_reader() -> None:
    r = read_event_log(bpic15_path(), mapping=BPIC15, accept_activity="01_HOOFD_010")
    # every case has the registration of its submission (acceptance): no no_acceptance issue
    assert "no_acceptance" not in set(r.issues["check"])
    assert len(r.events) == 52212
    missing = read_event_log(bpic15_path(), mapping=BPIC15)  # default "accept": absent
    issues = missing.issues.set_index("check")
    assert issues.loc["no_acceptance", "count"] == 52212
    assert issues.loc["no_acceptance", "action"] == "kept"


def test_closed_by_status(bpic15: LogReadResult) -> None:
    closed = closed_by_status(bpic15.cases)
    assert closed is not None and len(closed) == 1199
    assert int(closed.sum()) == 696  # G (gesloten) only; O open, the one T neither
    assert closed.index.dtype == "str"
    cases = pd.DataFrame({"case_id": [1, 2, 3], "状态": ["G", "O", "T"]})
    assert closed_by_status(cases) is None  # no caseStatus column
    assert closed_by_status(None) is None
    other = closed_by_status(cases, column="状态", closed_values=("G", "T"))
    assert other is not None and other.to_dict() == {"1": True, "2": False, "3": True}
