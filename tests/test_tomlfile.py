"""One rule for unreadable TOML files (mapping, tolerances, weights, grids): the file, what
was wrong and what was expected, exit 2 at the command line, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from simhall.cli import main
from simhall.tomlfile import TomlFileError, read_toml

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "scenarios" / "examples" / "small_hall.toml"


def _bad_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\x8b\x08\x00\xff" * 10)
    broken = tmp_path / "broken.toml"
    broken.write_text("a = \n", encoding="utf-8")
    return {"binary": (binary, "not UTF-8 text"), "broken": (broken, "not valid TOML")}


def test_read_toml_reads_utf8_with_or_without_bom(tmp_path: Path) -> None:
    f = tmp_path / "w.toml"
    for bom in ("", "\ufeff"):
        f.write_bytes(f'{bom}"名称" = "窗口"\n'.encode())
        assert read_toml(f) == {"名称": "窗口"}


@pytest.mark.parametrize("case", ["binary", "broken", "missing", "folder"])
def test_read_toml_says_what_is_wrong(tmp_path: Path, case: str) -> None:
    files = _bad_files(tmp_path)
    path, reason = {
        **files,
        "missing": (tmp_path / "nope.toml", "no such file"),
        "folder": (tmp_path, "a folder"),
    }[case]
    with pytest.raises(TomlFileError) as err:
        read_toml(path, "grid file")
    assert err.value.path == path
    assert reason in str(err.value) and "grid file" in str(err.value)


@pytest.mark.parametrize("case", ["binary", "broken"])
@pytest.mark.parametrize("reader", ["mapping", "tolerances", "weights", "grid"])
def test_cli_names_the_unreadable_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, reader: str
) -> None:
    bad, reason = _bad_files(tmp_path)[case]
    log = tmp_path / "events.csv"
    log.write_text(
        "case_id,item_id,activity,resource,start,end\n"
        "1,a,accept,d/window/1,2024-01-02 09:00,2024-01-02 09:05\n",
        encoding="utf-8",
    )
    items = tmp_path / "items.csv"
    items.write_text("item_id,department,kind,committed_days\na,d,onsite,0\n", encoding="utf-8")
    out = tmp_path / "out"
    args = {
        "mapping": [
            "calibrate",
            str(log),
            "--items",
            str(items),
            "--out",
            str(tmp_path / "s.toml"),
            "--mapping",
            str(bad),
        ],
        "tolerances": [
            "validate",
            str(log),
            str(SMALL),
            "--out",
            str(out),
            "--tolerances",
            str(bad),
        ],
        "weights": [
            "scorecard",
            str(log),
            "--items",
            str(items),
            "--weights",
            str(bad),
            "--out",
            str(out),
        ],
        "grid": ["sweep", str(SMALL), "--grid", str(bad), "--out", str(out)],
    }[reader]
    code = main(args)
    err = capsys.readouterr().err
    assert code == 2, err
    assert str(bad) in err and reason in err
    assert "Traceback" not in err
    if reader == "grid":
        assert "invalid sweep grid" in err
    assert not out.exists()
