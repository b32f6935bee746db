"""``extends`` overlays: merged by key and by id, entries removed, reforms collected."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import pytest

from simhall.scenario import load_scenario

FIXTURES = Path(__file__).resolve().parent / "scenarios"


def test_overlay_changes_windows_patches_and_removes(examples_dir: Path) -> None:
    base = load_scenario(examples_dir / "small_hall.toml")
    more = load_scenario(examples_dir / "small_hall_more_windows.toml")
    assert more.name == "Small hall, more windows"
    assert more.description.startswith("small_hall.toml with 6")
    assert more.synthetic  # from the base
    assert more.department("gongshang").windows == 6
    assert more.department("gongshang").signoff == base.department("gongshang").signoff
    assert more.department("jianwei") == base.department("jianwei")
    # the CSV row GS-002 patched by id: only daily_demand changes
    gs2 = more.item("GS-002")
    assert gs2.demand.daily_volume == 11.0
    assert gs2.name == "个体工商户开业登记"
    assert (gs2.committed_days, gs2.incomplete_prob) == (5, 0.15)
    # remove = true
    with pytest.raises(KeyError):
        more.item("GS-003")
    assert [i.id for i in more.items] == [i.id for i in base.items if i.id != "GS-003"]


def test_reforms_collected_base_first() -> None:
    hall = load_scenario(FIXTURES / "reforms_second.toml")
    assert hall.name == "两轮改革"
    reforms = cast(tuple[tuple[str, dict[str, Any]], ...], hall.reforms)
    files = [Path(file).name for file, _ in reforms]
    assert files == ["reforms_first.toml", "reforms_second.toml", "reforms_second.toml"]
    names = [reform["name"] for _, reform in reforms]
    assert names == ["chief representative", "compress limits", "more windows"]
    assert len(hall.items) == 9
