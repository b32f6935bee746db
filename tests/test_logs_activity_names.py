"""Activity names in Chinese beside English (``simhall.logs.schema``), the acceptance found in
a log, and the UTC offsets a timestamp column is written with."""

from __future__ import annotations

import pandas as pd
import pytest

from simhall.logs import LogError
from simhall.logs.checks import check_offsets
from simhall.logs.schema import ACCEPT, ACTIVITY_NAMES, find_accept_activity
from simhall.logs.timestamps import NO_OFFSET, offset_labels


def test_acceptance_found_by_its_chinese_name_or_as_given() -> None:
    assert "受理" in ACTIVITY_NAMES[ACCEPT]
    assert find_accept_activity({"受理": 5, "审查": 4}) == "受理"
    assert find_accept_activity({"accept": 1, "受理": 5}) == "accept"  # English first
    assert find_accept_activity({"审查": 4}) == ACCEPT  # none: reported later as no_acceptance
    assert find_accept_activity({"01_HOOFD_010": 3}, "01_HOOFD_010") == "01_HOOFD_010"
    with pytest.raises(LogError, match=r"'收件' names no activity.*'审查' \(4\), '受理' \(2\)"):
        find_accept_activity({"受理": 2, "审查": 4}, "收件")


def test_offset_labels_and_mixed_offsets_issue() -> None:
    raw = pd.Series(
        [
            "2024-03-04T01:10:00Z",
            "2024-03-05 02:00+00:00",
            "2024-03-04 09:30",
            None,
            "2024-03-04 09:30:00 +0800",
        ],
        index=[2, 3, 4, 5, 6],
        dtype="str",
    )
    labels = offset_labels(raw)
    assert labels is not None
    assert labels.tolist()[:3] == ["UTC", "UTC", NO_OFFSET] and pd.isna(labels.iloc[3])
    assert labels.iloc[4] == "+08:00"
    (issue,) = check_offsets(pd.DataFrame({"end": raw}), timezone="Asia/Shanghai")
    assert issue.check == "mixed_offsets" and list(issue.rows) == [4, 6]
    assert issue.detail.startswith("2 UTC, 1 no offset, 1 +08:00")
    # summer and standard time of one zone, kept as written: not reported
    dst = pd.Series(["2014-04-11T10:00:00+02:00", "2014-01-11T10:00:00+01:00"], dtype="str")
    assert check_offsets(pd.DataFrame({"end": dst})) == []
    assert len(check_offsets(pd.DataFrame({"end": dst}), timezone="Asia/Shanghai")) == 1
