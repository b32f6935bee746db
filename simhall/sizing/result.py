"""The answer of sizing: a table of current and proposed counts, and an overlay that applies it.

Like a staffing proposal put before a hall's management committee, the result says for each
department's windows and each back-office pool how many there are, how many are proposed,
what the target figure is before and after (with its 95% interval over replications) and
what happens with one fewer (the proof that the proposal is not padded). The overlay
``sizing.toml`` makes the proposal a scenario that ``simhall run`` runs as is.
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from simhall.io import atomic_write_csv, atomic_write_text, file_sha256, output_folder
from simhall.scenario.schema import Scenario
from simhall.sizing.measure import Measurement, Target
from simhall.sizing.plan import Plan, Unit, overlay_toml, run_settings

__all__ = ["SizingResult"]


@dataclass(frozen=True)
class SizingResult:
    """What :func:`simhall.sizing.size` found.

    Attributes
    ----------
    scenario : Scenario
        The hall sized (reforms applied).
    target : Target
    units : tuple of Unit
        Window rows and pools sized.
    pool_items : mapping
        Commitment items using each sized pool.
    current, start, proposed : Plan
        The scenario's counts, the Erlang C start and the answer.
    measurements : mapping of Plan to Measurement
        Of the current and proposed plans and of each "one fewer" plan.
    evidence : mapping of Unit to (Plan, list of str)
        For each unit above 1: the plan with one fewer and the targets it misses.
    unreachable : tuple of str
        Commitment items missing their limit even with generous staff (not sized for).
    untouched : tuple of str
        Commitment items missing their limit whose routes use no sized pool.
    window_loads, pool_loads : pandas.DataFrame
        The Erlang inputs (:mod:`simhall.sizing.erlang`).
    trace : pandas.DataFrame
        Every simulated plan.
    settings : mapping
        Run settings, for the manifest.
    """

    scenario: Scenario
    target: Target
    units: tuple[Unit, ...]
    pool_items: Mapping[Unit, tuple[str, ...]]
    current: Plan
    start: Plan
    proposed: Plan
    measurements: Mapping[Plan, Measurement]
    evidence: Mapping[Unit, tuple[Plan, list[str]]]
    unreachable: tuple[str, ...]
    untouched: tuple[str, ...]
    window_loads: pd.DataFrame
    pool_loads: pd.DataFrame
    trace: pd.DataFrame
    settings: Mapping[str, object] = field(default_factory=dict)

    def _figure(self, unit: Unit, plan: Plan) -> tuple[float, float, float, str]:
        m = self.measurements[plan]
        if not unit.pool:
            return (*m.wait(unit.department, self.target.wait_metric), "")
        items = [i for i in self.pool_items[unit] if i not in self.unreachable]
        worst, share, lo, hi = m.worst_item(items)
        return share, lo, hi, worst

    def table(self) -> pd.DataFrame:
        """One row per window row and pool: ``unit, department, pool, current,
        erlang_start, proposed, change, metric, target, before, before_ci_low,
        before_ci_high, after, after_ci_low, after_ci_high, worst_item, one_fewer,
        one_fewer_ci_low, one_fewer_ci_high, one_fewer_misses, met``.

        The metric of a window row is the department's mean or P90 wait (minutes, mean over
        replications); that of a pool is the lowest share of cases within the committed limit
        among the items using it (all replications pooled; the CI is that item's over
        replications).
        """
        rows = []
        for unit in self.units:
            before = self._figure(unit, self.current)
            after = self._figure(unit, self.proposed)
            fewer: tuple[float, float, float, str] = (math.nan, math.nan, math.nan, "")
            misses = ""
            if unit in self.evidence:
                plan, missed = self.evidence[unit]
                fewer, misses = self._figure(unit, plan), "; ".join(missed)
            target = self.target.service_level if unit.pool else self.target.wait_target_min
            met = (after[0] >= target) if unit.pool else (after[0] <= target)
            rows.append(
                {
                    "unit": unit.kind,
                    "department": unit.department,
                    "pool": unit.pool,
                    "current": self.current.get(unit),
                    "erlang_start": self.start.get(unit),
                    "proposed": self.proposed.get(unit),
                    "change": self.proposed.get(unit) - self.current.get(unit),
                    "metric": "worst_share_within" if unit.pool else self.target.wait_metric,
                    "target": target,
                    "before": before[0],
                    "before_ci_low": before[1],
                    "before_ci_high": before[2],
                    "after": after[0],
                    "after_ci_low": after[1],
                    "after_ci_high": after[2],
                    "worst_item": after[3],
                    "one_fewer": fewer[0],
                    "one_fewer_ci_low": fewer[1],
                    "one_fewer_ci_high": fewer[2],
                    "one_fewer_misses": misses,
                    "met": bool(met) or math.isnan(after[0]),
                }
            )
        return pd.DataFrame(rows)

    def overlay(self, out_dir: str | os.PathLike[str]) -> str:
        """The text of ``sizing.toml`` for a folder ``out_dir`` (see
        :func:`simhall.sizing.plan.overlay_toml`)."""
        t = self.target
        what = (
            f"{t.wait_stat} window wait <= {t.wait_target_min:g} min, "
            f"limits at {t.service_level:.0%}"
        )
        return overlay_toml(
            self.proposed,
            self.scenario,
            out_dir,
            name=f"{self.scenario.name}: sized ({what})",
            header=[
                "Written by simhall size: the fewest windows and staff found to meet",
                f"{what} (simulated with common random numbers; see sizing.csv).",
                "Run it as is: simhall run sizing.toml",
            ],
            settings=run_settings(self.scenario, self.settings),
        )

    def report(self) -> str:
        """A short Markdown report: the brief, the counts, the table and the notes."""
        t = self.target
        table = self.table()
        lines = [
            f"# Sizing: {self.scenario.name}",
            "",
            f"Target: {t.wait_stat} window wait <= {t.wait_target_min:g} min per department "
            f"(mean over replications); every commitment item within its committed limit for "
            f">= {t.service_level:.0%} of its cases (replications pooled; open ones past the "
            "limit count as failures); no sized window row or pool unstable.",
            "",
            f"People: {self.current.total()} now, {self.proposed.total()} proposed "
            f"({self.trace.shape[0]} plans simulated with common random numbers).",
            "",
            "```",
            table.drop(columns=["one_fewer_misses"]).round(3).to_string(index=False),
            "```",
            "",
            "The Erlang C start (busiest hour of the day for windows, an average day for pools) "
            "is a starting point; the simulation decides. 'one_fewer' is the metric with one "
            "window or clerk less than proposed: it misses a target (one_fewer_misses in "
            "sizing.csv).",
        ]
        if self.unreachable:
            lines += [
                "",
                "Items missing their committed limit even with generous staff (their days go to "
                "sessions, notices or couriers; staffing cannot help, they are not sized for): "
                + ", ".join(self.unreachable),
            ]
        if self.untouched:
            lines += [
                "",
                "Items missing their committed limit whose routes use no sized pool (size "
                "their departments too, or reform their routes): " + ", ".join(self.untouched),
            ]
        return "\n".join(lines) + "\n"

    def manifest(self) -> dict[str, object]:
        """How to reproduce the folder."""
        source = Path(self.scenario.source) if self.scenario.source else None
        inputs = {str(source): file_sha256(source)} if source and source.is_file() else {}
        return {
            "command": "size",
            "scenario": self.scenario.source or self.scenario.name,
            "settings": {**dataclasses.asdict(self.target), **self.settings},
            "inputs": inputs,
            "warnings": list(self.scenario.warnings),
        }

    def write(self, out_dir: str | os.PathLike[str]) -> Path:
        """Write ``sizing.csv``, ``sizing.toml`` (when the scenario has a file),
        ``erlang.csv``, ``trace.csv``, ``sizing.md`` and ``manifest.json``; the folder
        appears whole (:func:`simhall.io.output_folder`). Returns its path."""
        with output_folder(out_dir, self.manifest()) as folder:
            out = folder.path
            atomic_write_csv(self.table(), out / "sizing.csv")
            if self.scenario.source and Path(self.scenario.source).is_file():
                atomic_write_text(self.overlay(folder.target), out / "sizing.toml")
            loads = pd.concat(
                [
                    self.window_loads.assign(unit="windows", pool=""),
                    self.pool_loads.assign(unit="staff"),
                ],
                ignore_index=True,
            )
            atomic_write_csv(loads, out / "erlang.csv")
            atomic_write_csv(self.trace, out / "trace.csv")
            atomic_write_text(self.report(), out / "sizing.md")
        return folder.target
