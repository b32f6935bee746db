"""Grid files of ``simhall sweep``: what they give, and every bad input reported with its key
path and value (exit status 2 on the command line)."""

from __future__ import annotations

from pathlib import Path

import pytest

from simhall.cli import main
from simhall.scenario import Scenario, ScenarioError
from simhall.sweep import expand, read_grid


def _grid(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "grid.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _problems(tmp_path: Path, small_hall: Scenario, text: str) -> str:
    with pytest.raises(ScenarioError) as err:
        read_grid(_grid(tmp_path, text), small_hall)
    return str(err.value)


def test_product_order_and_base_values(tmp_path: Path, small_hall: Scenario) -> None:
    grid = read_grid(
        _grid(
            tmp_path,
            "[grid]\ndemand_factor = [1.0, 1.5]\n[grid.windows]\ngongshang = [3, 4, 5]\n",
        ),
        small_hall,
    )
    assert grid.size == 6
    variants = expand(grid)
    assert [v.id for v in variants] == ["v001", "v002", "v003", "v004", "v005", "v006"]
    # the last axis changes fastest, as in itertools.product
    assert [v.values()["windows.gongshang"] for v in variants] == [3, 4, 5, 3, 4, 5]
    assert variants[3].label() == "demand_factor = 1.5, windows.gongshang = 3"


def test_listed_variants_keep_their_names(tmp_path: Path, small_hall: Scenario) -> None:
    text = (
        '[[variants]]\nname = "two more windows"\nwindows = { gongshang = 6 }\n\n'
        '[[variants]]\nname = "one more clerk"\nstaff = { gongshang = { clerk = 4 } }\n'
    )
    variants = expand(read_grid(_grid(tmp_path, text), small_hall))
    assert [(v.id, v.name, v.label()) for v in variants] == [
        ("v001", "two more windows", "windows.gongshang = 6"),
        ("v002", "one more clerk", "staff.gongshang.clerk = 4"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "[grid.windows]\ngongshan = [4]\n",
            'grid.toml: grid.windows.gongshan = "gongshan": unknown department; expected one '
            'of: "jianwei", "gongshang", "gongan"; did you mean \'gongshang\'?',
        ),
        (
            "[grid.windows]\ngongshang = [4, 0]\n",
            "grid.toml: grid.windows.gongshang[1] = 0: expected a whole number >= 1 (windows)",
        ),
        (
            "[grid.windows]\ngongshang = [4, 4]\n",
            "grid.windows.gongshang[1] = 4: expected a value not listed before in this list",
        ),
        (
            "[grid.windows]\ngongshang = 4\n",
            "grid.windows.gongshang = 4: expected a non-empty list",
        ),
        (
            "[grid.staff.jianwei]\nsectoin = [3]\n",
            'grid.staff.jianwei.sectoin = "sectoin": unknown pool of jianwei; expected one of: '
            '"section", "chief"; did you mean \'section\'?',
        ),
        (
            "[grid]\ndemand_factor = [1.0, -0.5]\n",
            "grid.demand_factor[1] = -0.5: expected a number > 0 (times every daily_demand)",
        ),
        (
            "[grid.committed_days]\nJW-001 = [25]\n",
            "grid.committed_days.JW-001[0] = 25: expected a whole number <= statutory_days (20)",
        ),
        (
            "[grid.committed_days]\nJW-004 = [3]\n",
            'grid.committed_days.JW-004 = "JW-004": unknown commitment item',
        ),
        ("[grids.windows]\ngongshang = [4]\n", "grids = { windows = { gongshang = [4] } }: "),
        ("[grid.window]\ngongshang = [4]\n", "did you mean 'windows'?"),
        ("[grid.reforms]\nchief = [true]\n", 'grid.reforms.chief = "chief": unknown switch'),
        ("[grid]\n", "grid = {}: expected at least one parameter"),
        (
            "[grid.windows]\ngongshang = [4]\n\n[[variants]]\nwindows = { gongshang = 5 }\n",
            "grid.toml: expected either a [grid] table",
        ),
        (
            '[grid.windows]\ngongshang = [4]\n[objective]\nminimise = "limit_sum"\n',
            'objective.minimise = "limit_sum": expected one of: ',
        ),
        (
            '[grid.windows]\ngongshang = [4]\n[objective]\nminimise = "cost"\n',
            "objective.weights is missing: expected a table like { windows = 1.0, staff = 0.8 }",
        ),
        (
            "[grid.windows]\ngongshang = [4]\n[objective]\nat_most = { mean_wait = 5 }\n",
            "did you mean 'mean_wait_min'?",
        ),
        (
            '[grid.windows]\ngongshang = [4]\n[reform_files]\ntwo = "missing.toml"\n',
            'reform_files.two = "missing.toml": '
            "expected a UTF-8 TOML reform overlay (no such file)",
        ),
        (
            '[[variants]]\nname = "a"\nwindows = { gongshang = 5 }\n\n'
            '[[variants]]\nname = "a"\nwindows = { gongshang = 6 }\n',
            'variants[1].name = "a": expected a name not given to another variant',
        ),
        (
            "[[variants]]\nwindow = { gongshang = 5 }\n",
            "variants[0].window = { gongshang = 5 }: unknown key",
        ),
    ],
)
def test_bad_grids_name_the_key_path_and_value(
    tmp_path: Path, small_hall: Scenario, text: str, expected: str
) -> None:
    assert expected in _problems(tmp_path, small_hall, text)


def test_every_problem_at_once(tmp_path: Path, small_hall: Scenario) -> None:
    text = "[grid.windows]\ngongshang = [0]\ngongan = [-1]\n"
    message = _problems(tmp_path, small_hall, text)
    assert "grid.windows.gongshang[0] = 0" in message
    assert "grid.windows.gongan[0] = -1" in message


def test_absurd_product_is_refused_before_any_work(tmp_path: Path, small_hall: Scenario) -> None:
    windows = list(range(1, 11))
    text = (
        f"[grid.windows]\njianwei = {windows}\ngongshang = {windows}\ngongan = {windows}\n"
        "[grid]\ndemand_factor = [1.0, 1.1]\n"
    )
    message = _problems(tmp_path, small_hall, text)
    assert "expected at most 1,000 variants ([grid] gives 10 x 10 x 10 x 2 = 2,000)" in message
    assert "[sweep] max_variants" in message
    # a larger bound, stated in the file, lets it through
    grid = read_grid(_grid(tmp_path, "[sweep]\nmax_variants = 2000\n" + text), small_hall)
    assert grid.size == 2000


def test_reform_file_with_more_than_reforms_is_refused(
    tmp_path: Path, small_hall: Scenario, examples_dir: Path
) -> None:
    (tmp_path / "more.toml").write_text(
        f'extends = "{(examples_dir / "small_hall.toml").as_posix()}"\n'
        '[[departments]]\nid = "gongan"\nwindows = 3\n',
        encoding="utf-8",
    )
    text = '[grid.reforms]\nmore = [false, true]\n[reform_files]\nmore = "more.toml"\n'
    message = _problems(tmp_path, small_hall, text)
    assert 'reform_files.more = "more.toml": expected an overlay with only [[reforms]]' in message
    assert "departments" in message


def test_cli_bad_grid_exits_2_with_the_key_path(
    tmp_path: Path, examples_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    grid = _grid(tmp_path, '[grid.windows]\ngongshang = [4, "five"]\n')
    code = main(
        [
            "sweep",
            str(examples_dir / "small_hall.toml"),
            "--grid",
            str(grid),
            "--quiet",
            "--out",
            str(tmp_path / "out"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert 'grid.windows.gongshang[1] = "five": expected a whole number >= 1' in err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_cli_missing_grid_and_bad_toml_exit_2(
    tmp_path: Path, examples_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    small = str(examples_dir / "small_hall.toml")
    out = ["--quiet", "--out", str(tmp_path / "out")]
    assert main(["sweep", small, "--grid", str(tmp_path / "nope.toml"), *out]) == 2
    assert "nope.toml: no such file" in capsys.readouterr().err
    bad = _grid(tmp_path, "[grid\n")
    assert main(["sweep", small, "--grid", str(bad), *out]) == 2
    assert "grid.toml: expected a UTF-8 TOML grid file (not valid TOML" in capsys.readouterr().err
