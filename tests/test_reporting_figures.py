"""simhall's figures in Chinese: the bundled CJK font, the style and every figure function.

A missing glyph is the failure the issue reports (22 ``Glyph ... missing from font``
warnings in one compare): here any such warning, or a font-manager complaint, fails the
test, for every figure function and every file format.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from simhall.reporting import figures as style
from simhall.reporting.labels import language

DEPT = "市建委"
ITEM = "建筑工程施工许可证核发"


@contextmanager
def no_font_warnings(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fail on any warning (missing glyphs are UserWarnings) or matplotlib log warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with caplog.at_level(logging.WARNING, logger="matplotlib"):
            yield
    bad = [r.getMessage() for r in caplog.records if r.name.startswith("matplotlib")]
    assert not bad, bad


def render_all(fig: Figure, formats: tuple[str, ...] = style.FIGURE_FORMATS) -> None:
    for fmt in formats:
        assert style.figure_bytes(fig, fmt, dpi=50)


def test_cjk_font_ships_with_the_dependencies() -> None:
    path = style.cjk_font_path()
    assert path is not None and path.is_file()
    from matplotlib import font_manager

    assert style.register_cjk_font() == path
    assert font_manager.FontProperties(fname=str(path)).get_name() == style.CJK_FAMILY


def test_cjk_font_package_is_pinned_and_declared_in_both_environments() -> None:
    """The font comes from a runtime dependency pinned in constraints.txt (what make
    installs), declared with the same bound in pyproject.toml and environment.yml."""
    import re
    import tomllib
    from importlib.metadata import version
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    pins = re.findall(r"(?m)^mplfonts==(\S+)$", (root / "constraints.txt").read_text())
    assert len(pins) == 1
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    bound = [d for d in project["dependencies"] if d.startswith("mplfonts")]
    assert bound == [f"mplfonts>={pins[0]}"]
    assert f"- {bound[0]}" in (root / "environment.yml").read_text(encoding="utf-8")
    installed = tuple(int(x) for x in version("mplfonts").split(".")[:3])
    assert installed >= tuple(int(x) for x in pins[0].split("."))
    assert "mplfonts" in style.cjk_font_path().parts


def test_chinese_text_renders_without_missing_glyphs(caplog: pytest.LogCaptureFixture) -> None:
    fig = style.new_figure((4, 3))
    ax = fig.add_subplot()
    ax.plot([0, 1], [1, -1], label=f"{DEPT} working days")
    ax.set_title(f"{DEPT} / {ITEM}")
    ax.set_yticks([-1, 1], [ITEM, "P95 改革后"])
    ax.legend()
    with no_font_warnings(caplog):
        render_all(fig)


def test_missing_glyph_check_can_fail(caplog: pytest.LogCaptureFixture) -> None:
    """Without the CJK family the same text warns, so the check above is a real one."""
    fig = style.new_figure((4, 3))
    ax = fig.add_subplot()
    ax.set_title(ITEM, family="DejaVu Sans")
    with pytest.raises(UserWarning, match="missing from font"):
        with no_font_warnings(caplog):
            style.figure_bytes(fig, "png", dpi=50)


def test_latin_text_keeps_the_latin_font() -> None:
    from matplotlib import font_manager

    style.use_style()
    fp = font_manager.FontProperties(family=style.FONT_FAMILIES)
    assert "DejaVuSans" in font_manager.findfont(fp).replace("-", "").replace(" ", "")


def test_same_figure_same_bytes() -> None:
    """No dates or random ids in PDF and SVG: two renders of two equal figures agree."""

    def make() -> Figure:
        fig = style.new_figure((3, 2))
        ax = fig.add_subplot()
        ax.plot([0, 1], [0, 1])
        ax.set_title(DEPT)
        return fig

    renders = {fmt: style.figure_bytes(make(), fmt) for fmt in style.FIGURE_FORMATS}
    for fmt, data in renders.items():
        assert style.figure_bytes(make(), fmt) == data, fmt
    assert b"CreationDate" not in renders["pdf"]
    assert b"<dc:date>" not in renders["svg"]


_RENDER = """
import sys
from simhall.reporting import figures as style
fig = style.new_figure((3, 2))
ax = fig.add_subplot()
ax.plot([0, 1], [0, 1])
ax.set_title("市建委")
sys.stdout.buffer.write(style.figure_bytes(fig, sys.argv[1]))
"""


def test_same_svg_in_another_process() -> None:
    """Another interpreter (other str hashing, another time) writes the same SVG: its ids
    come from simhall's hash salt, not from a random one, and no date is written."""
    import os
    import subprocess
    import sys

    fig = style.new_figure((3, 2))
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1])
    ax.set_title(DEPT)
    env = {**os.environ, "PYTHONHASHSEED": "12345", "MPLBACKEND": "Agg"}
    env.pop("SOURCE_DATE_EPOCH", None)
    other = subprocess.run(
        [sys.executable, "-c", _RENDER, "svg"], env=env, capture_output=True, check=True
    ).stdout
    assert other == style.figure_bytes(fig, "svg")


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="'jpg'.*pdf, svg, png"):
        style.figure_bytes(style.new_figure(), "jpg")


def _compare_items() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "scenario": "改革",
            "item_id": ["jw01", "jw02", "gs01"],
            "name": [ITEM, "建设工程规划许可", "企业名称预先核准"],
            "department": ["jianwei", "jianwei", "gongshang"],
            "kind": "commitment",
            "tags": ["chief_rep_46", "chief_rep_46", ""],
            "committed_before": [20.0, 15.0, 5.0],
            "committed_after": [20.0, 15.0, 5.0],
            "p95_before": [18.0, 12.0, 4.0],
            "p95_after": [10.0, 12.1, 4.0],
            "p95_diff": [-8.0, 0.1, 0.0],
            "p95_diff_ci_low": [-9.0, -0.5, -0.2],
            "p95_diff_ci_high": [-7.0, 0.7, 0.2],
            "recommended_after": [11.0, 13.0, 4.0],
            "removed": [1.0, 0.0, 0.0],
        }
    )


def _validation() -> SimpleNamespace:
    rng = np.random.default_rng(0)
    cases = pd.DataFrame(
        {
            "item_id": np.repeat(["jw01", "gs01"], 50),
            "working_days": rng.integers(0, 20, 100),
            "scored": True,
        }
    )
    return SimpleNamespace(observed_cases=cases, simulated_cases=cases)


def _figure_makers() -> dict[str, Callable[[], Figure]]:
    from simhall.calibration.report import demand_figure
    from simhall.compare.figures import contributions_figure, p95_figure
    from simhall.reporting.plots import limits_vs_simulated, working_days_histogram
    from simhall.studies.huainan_chief_rep import chief_rep_figure
    from simhall.studies.huainan_figure import huainan_table_figure
    from simhall.validation.figures import (
        durations_ecdf,
        errors_figure,
        hourly_profile,
        weekly_counts,
    )

    items = _compare_items()
    run_items = items.assign(committed_days=items["committed_before"], p95_days=items["p95_after"])
    cases = pd.DataFrame(
        {"status": "completed", "kind": "commitment", "counted_days": [1.0, 3.0, 3.0, 40.0]}
    )
    contributions = pd.DataFrame(
        {
            "figure": "limit_sum",
            "view": ["add_one", "add_one", "leave_one_out", "leave_one_out"],
            "reform": ["首席代表", "一表制", "首席代表", "一表制"],
            "contribution": [-5.0, -1.0, -4.0, -0.5],
        }
    )
    weekly = pd.DataFrame(
        {"week": pd.date_range("2007-01-01", periods=4, freq="W-MON"), "observed": [5, 6, 7, 8]}
    ).assign(simulated=[5.5, 6.0, 7.2, 7.9])
    hourly = pd.DataFrame({"hour": [9, 10, 15], "observed": [0.3, 0.4, 0.3]}).assign(
        simulated=[0.35, 0.35, 0.3]
    )
    table = pd.DataFrame(
        {
            "scope": ["hall", "department", "item"],
            "id": ["hall", DEPT, ITEM],
            "metric": ["onsite_rate", "mean_wait_min", "working_days_w1"],
            "error": [0.01, 3.0, 0.5],
            "limit": [0.02, 2.0, 1.0],
            "status": ["PASS", "FAIL", "PASS"],
        }
    )
    cal = SimpleNamespace(
        demand=SimpleNamespace(
            intraday=[(510.0, 1.0), (570.0, 1.6), (870.0, 0.8)],
            weekday_factors=[1.3, 1.1, 1.0, 0.9, 0.8, 0.0, 0.0],
        )
    )
    huainan = pd.DataFrame(
        {
            "figure": ["36 项：时限合计", "on-site completion 现场办结率", "forms"],
            "report": [142.0, 0.8991, 1.0],
            "simhall": [120.0, 0.5, 1.0],
            "ci_low": [110.0, 0.45, np.nan],
            "ci_high": [130.0, 0.55, np.nan],
            "basis": ["mechanics", "mechanics", "input"],
            "agrees": ["no", "no", "by construction"],
        }
    )
    return {
        "limits_vs_simulated": lambda: limits_vs_simulated(run_items),
        "working_days_histogram": lambda: working_days_histogram(cases),
        "p95_figure": lambda: p95_figure(items, "一表制"),
        "contributions_figure": lambda: contributions_figure(contributions),
        "durations_ecdf": lambda: durations_ecdf(
            _validation(),  # type: ignore[arg-type]
            2,
            names={"jw01": ITEM, "gs01": "企业名称预先核准"},
        ),
        "weekly_counts": lambda: weekly_counts(weekly),
        "hourly_profile": lambda: hourly_profile(hourly),
        "errors_figure": lambda: errors_figure(table),
        "demand_figure": lambda: demand_figure(cal),  # type: ignore[arg-type]
        "chief_rep_figure": lambda: chief_rep_figure(items),
        "huainan_table_figure": lambda: huainan_table_figure(huainan),
    }


VECTOR_CHECKED = {"p95_figure", "durations_ecdf", "huainan_table_figure", "errors_figure"}


@pytest.mark.parametrize("lang", ["zh", "en", "both"])
@pytest.mark.parametrize("name", sorted(_figure_makers()))
def test_every_figure_function_renders_chinese(
    name: str, lang: str, caplog: pytest.LogCaptureFixture
) -> None:
    with language(lang), no_font_warnings(caplog):  # type: ignore[arg-type]
        fig = _figure_makers()[name]()
        # embedding a font subset in a PDF takes a second: PDF and SVG for a few figures
        full = lang == "both" and name in VECTOR_CHECKED
        render_all(fig, style.FIGURE_FORMATS if full else ("png",))
        assert style.small_texts(fig) == []


def test_one_form_figure_renders_chinese(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from simhall.studies import huainan_one_form

    reps = pd.DataFrame(
        {"visits_observed": [3.0, 3.2], "window_min": [40.0, 42.0], "wait_min": [10.0, 12.0]}
    ).assign(mean_days=[5.0, 5.5])
    monkeypatch.setattr(huainan_one_form, "_one_form_pair", lambda cmp: (reps, reps * 0.5))
    with language("zh"), no_font_warnings(caplog):
        fig = huainan_one_form.one_form_figure(None)
        render_all(fig, ("png",))
        assert style.small_texts(fig) == []
    titles = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
    assert any("改革前" in str(t) for t in titles)


def test_small_text_check_can_fail() -> None:
    fig = style.new_figure((3, 2))
    fig.add_subplot().set_title("tiny", fontsize=6)
    assert style.small_texts(fig) == ["'tiny' (6 pt)"]


def test_p95_figure_names_items_in_the_chosen_language() -> None:
    from simhall.compare.figures import p95_figure

    items = _compare_items()
    for lang, expected in (("zh", ITEM), ("en", "jw01"), ("both", f"{ITEM} (jw01)")):
        fig = p95_figure(items, "x", lang=lang)  # type: ignore[arg-type]
        ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
        assert expected in ticks, (lang, ticks)
