"""Item catalogues (CSV): rows become items; a byte-order mark is not part of the header."""

from __future__ import annotations

from pathlib import Path

from simhall.distributions import Fixed
from simhall.scenario import load_scenario


def test_csv_with_bom(examples_dir: Path, tmp_path: Path) -> None:
    text = (examples_dir / "one_window.toml").read_text(encoding="utf-8")
    text = text.split("[[items]]")[0]
    text = 'items_csv = "items.csv"\n' + text
    text += '[defaults]\nwindow_service = { dist = "fixed", value_min = 5 }\n'
    (tmp_path / "hall.toml").write_text(text, encoding="utf-8")
    csv_text = "id,name,department,kind,daily_demand\nMZ-9,收养登记,minzheng,onsite,2\n"
    (tmp_path / "items.csv").write_bytes(b"\xef\xbb\xbf" + csv_text.encode("utf-8"))
    hall = load_scenario(tmp_path / "hall.toml")
    assert hall.item("MZ-9").name == "收养登记"
    assert hall.item("MZ-9").window_service == Fixed(value=5)
