"""What kind of step is each activity: window, visit, work, session, transfer or delay?

A newcomer to a hall learns this by watching: what happens at the counter while the
applicant waits (window service: acceptance and the visits that end in 补正), who comes back
to the counter after the decision (a visit: the applicant collects the licence, 办结), what
a section clerk does at a desk for an hour or two (work by a staff pool), what waits in the
leader's tray for the Tuesday and Friday sign-off (a session: completions pile up at the
same clock time, or the leader's starts come in a burst after it, see
:mod:`~simhall.calibration.rounds`), what rides the courier (a transfer: leaves at fixed
times, arrives a fixed travel time later) and what merely takes days with nobody's name on
it, or a name under which many jobs run at once (a delay: a site inspection, a public
notice). :func:`classify_activities` applies these rules in this order, and a small TOML
file can override any of them (its ``[resources]`` table is read by
:mod:`~simhall.calibration.roles`)::

    [activities]
    "现场勘查" = "delay"
    leader_signoff = "session"
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from simhall.calendar import MINUTES_PER_DAY
from simhall.calibration.rounds import round_pattern
from simhall.calibration.sessions import clock_concentration, is_session_pattern
from simhall.logs.schema import ACTIVITY_NAMES, PICKUP
from simhall.tomlfile import read_toml

__all__ = [
    "DATE_ONLY_SHARE",
    "KINDS",
    "classify_activities",
    "read_classification",
    "window_activities",
]

KINDS: tuple[str, ...] = ("window", "visit", "work", "session", "transfer", "delay")
"""Activity kinds."""
BEFORE_ACCEPT_SHARE = 0.8
"""An activity is a window visit when this share of its events end before the case's
acceptance."""
AFTER_ACCEPT_SHARE = 0.8
"""An activity is a visit after the decision (pickup) when this share of its events end after
the case's acceptance and this share of its resourced events are at window resources."""
SHARED_SHARE = 0.5
"""An activity with at least this share of its events under shared resource names (see
:mod:`~simhall.calibration.roles`) is a delay."""
NO_RESOURCE_SHARE = 0.9
"""An activity without a resource on this share of its events is a delay (if others have
resources)."""
DELAY_MIN_DAYS = 0.5
"""Without any resources in the log: a median duration of at least this many working days
makes a delay."""
DATE_ONLY_SHARE = 0.5
"""An activity with at least this share of completions at exactly midnight (a date without a
time of day) is a delay in working days: from dates alone a sign-off session cannot be told
from any other step (every such completion falls on the same "clock time", 00:00)."""
_TRANSFER_NAME = re.compile(r"transfer|courier|deliver|送|转|递|交接|流转", re.IGNORECASE)
_COURIER_RES = re.compile(r"courier|driver|post|快递|交通|通讯员|送件", re.IGNORECASE)
_WINDOW_RES = re.compile(r"/window/|窗口", re.IGNORECASE)


def _resource_flags(resource: pd.Series, pattern: re.Pattern[str]) -> tuple[np.ndarray, np.ndarray]:
    """Per event: whether its resource matches ``pattern``, and whether it has one.

    Works on the categories of a categorical column, so a million events cost one pass.
    """
    res = (
        resource if isinstance(resource.dtype, pd.CategoricalDtype) else resource.astype("category")
    )
    codes = res.cat.codes.to_numpy()
    cats = pd.Series(res.cat.categories.astype(str))
    match = np.append(cats.str.contains(pattern).to_numpy(dtype=bool), False)
    return match[codes], codes >= 0


def read_classification(path: str | Path) -> dict[str, str]:
    """Read a classification override file.

    Parameters
    ----------
    path : str or Path
        TOML with a table ``[activities]`` of ``name = kind``.

    Returns
    -------
    dict
        Activity name -> kind.

    Raises
    ------
    ValueError
        Unreadable TOML, other tables, or kinds not in :data:`KINDS` (naming the file and
        the activity).
    """
    path = Path(path)
    data = read_toml(path, "classification file")  # TomlFileError is a ValueError
    extra = set(data) - {"activities", "resources"}
    if extra:
        raise ValueError(
            f"{path}: unknown table(s) {sorted(extra)}; expected [activities] and [resources]"
        )
    table = data.get("activities", {})
    if not isinstance(table, dict):
        raise ValueError(f"{path}: [activities] must be a table of name = kind")
    out: dict[str, str] = {}
    for name, kind in table.items():
        if kind not in KINDS:
            raise ValueError(
                f"{path}: activities.{name} = {kind!r}: expected one of {', '.join(KINDS)}"
            )
        out[str(name)] = str(kind)
    return out


def window_activities(
    ev: pd.DataFrame, accept_activity: str, accept_end: np.ndarray
) -> dict[str, str]:
    """Activities that are window visits, with the reason.

    Parameters
    ----------
    ev : DataFrame
        Prepared events (``case`` codes, ``activity``, ``resource``, ``end`` minutes).
    accept_activity : str
        Name of acceptance.
    accept_end : numpy.ndarray
        Per case code: end of its first acceptance (NaN if none).

    Returns
    -------
    dict
        Activity -> reason, for the acceptance activity and every activity whose events
        mostly end before the case's acceptance (visits that end in 补正) or whose resources
        are windows; never a pickup (a name of ``ACTIVITY_NAMES[PICKUP]``, 办结/领证).
    """
    out: dict[str, str] = {}
    acc_end = accept_end[ev["case"].to_numpy()]
    end = ev["end"].to_numpy()
    is_window, has_res = _resource_flags(ev["resource"], _WINDOW_RES)
    for act, idx in ev.groupby("activity", observed=True).indices.items():
        name = str(act)
        if name == accept_activity:
            out[name] = "the acceptance activity"
            continue
        if name in ACTIVITY_NAMES[PICKUP]:
            continue  # 办结/领证: collecting the licence, never a visit that ends in 补正
        a, e = acc_end[idx], end[idx]
        ok = np.isfinite(a)
        if ok.sum() >= 5:
            share = float(np.mean(e[ok] <= a[ok] + 1e-6))
            if share >= BEFORE_ACCEPT_SHARE:
                out[name] = f"{100 * share:.0f}% of its events end before the case's acceptance"
                continue
            if 1.0 - share >= AFTER_ACCEPT_SHARE:
                continue  # after the decision: a visit (pickup), not a visit before acceptance
        with_res = has_res[idx]
        if with_res.any() and float(is_window[idx][with_res].mean()) >= BEFORE_ACCEPT_SHARE:
            out[name] = "its resources are windows"
    return out


def classify_activities(
    ev: pd.DataFrame,
    windows: dict[str, str],
    *,
    day_min: float,
    low_precision: bool = False,
    overrides: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Classify every activity of the log.

    Rules, in order: the user's override; window (see :func:`window_activities`);
    delay when at least :data:`DATE_ONLY_SHARE` of its completions carry no time of day
    (low precision: day-level, in working days, never a session); visit (a window visit
    after the decision, :data:`AFTER_ACCEPT_SHARE`); transfer (name or resource says
    courier/transfer); delay (no resource on >= 90% of the events while other activities
    have resources); session (>= 80% of the completions *with* a time of day within +-5 min
    of at most 4 clock times, at least 10 such completions; or rounds, see
    :func:`~simhall.calibration.rounds.round_pattern`); delay (most events under shared
    resource names, :data:`SHARED_SHARE`; or, in a log without any resources, a median
    duration of >= half a working day); else work. In a log whose timestamps mostly lack a
    time of day, everything but window visits is a delay.

    Parameters
    ----------
    ev : DataFrame
        Prepared events with ``activity``, ``resource``, ``start``, ``end`` (wall minutes)
        and ``dur_work`` (working minutes); optionally ``role`` (the resource's role,
        :mod:`~simhall.calibration.roles`), ``ready`` (when the file was ready for the step)
        and ``after_accept`` (the event ends after the case's acceptance).
    windows : dict
        Output of :func:`window_activities`.
    day_min : float
        Working minutes in a working day.
    low_precision : bool
        Whether timestamps mostly have no time of day.
    overrides : dict, optional
        Activity -> kind from :func:`read_classification`.

    Returns
    -------
    DataFrame
        ``activity, kind, n, reason, clock_times, coverage, date_only`` (share of
        completions without a time of day), ``pattern`` (``"round"`` for sessions found as
        rounds, else empty).
    """
    overrides = overrides or {}
    is_courier, has_res = _resource_flags(ev["resource"], _COURIER_RES)
    has_resources = bool(has_res.any())
    end, dur = ev["end"].to_numpy(), ev["dur_work"].to_numpy()
    start = ev["start"].to_numpy()
    n_ev = len(ev)
    role = ev["role"].to_numpy() if "role" in ev else np.full(n_ev, "", dtype=object)
    ready = ev["ready"].to_numpy() if "ready" in ev else np.full(n_ev, np.nan)
    after = ev["after_accept"].to_numpy() if "after_accept" in ev else np.zeros(n_ev, bool)
    res = ev["resource"]
    res_code = (
        res if isinstance(res.dtype, pd.CategoricalDtype) else res.astype("category")
    ).cat.codes.to_numpy()
    rows = []
    for act, idx in ev.groupby("activity", observed=True).indices.items():
        name = str(act)
        n = len(idx)
        t = end[idx]  # completions: a session's files are all done at its (fixed) end
        t = t[np.isfinite(t)]
        clock = t % MINUTES_PER_DAY
        date_only = float(np.mean(clock == 0)) if len(t) else 0.0
        clock = clock[clock != 0]  # only completions with a time of day can show a session
        times, coverage = clock_concentration(clock)
        with_res = has_res[idx]
        missing = 1.0 - float(with_res.mean())
        courier_share = float(is_courier[idx][with_res].mean()) if with_res.any() else 0.0
        med_days = float(np.nanmedian(dur[idx])) / day_min if np.isfinite(dur[idx]).any() else 0.0
        roles = role[idx][with_res]
        at_window = float(np.mean(roles == "window")) if len(roles) else 0.0
        shared = float(np.mean(roles == "shared")) if len(roles) else 0.0
        after_share = float(np.mean(after[idx]))
        pattern = ""
        if name in overrides:
            kind, reason = overrides[name], "set in the classification file"
        elif name in windows:
            kind, reason = "window", windows[name]
        elif low_precision:
            kind, reason = "delay", "timestamps have no time of day: day-level delay"
        elif date_only >= DATE_ONLY_SHARE:
            kind = "delay"
            reason = (
                f"{100 * date_only:.0f}% of its completions have no time of day: day-level "
                "delay in working days (not a session)"
            )
        elif after_share >= AFTER_ACCEPT_SHARE and at_window >= AFTER_ACCEPT_SHARE:
            kind = "visit"
            reason = (
                f"{100 * after_share:.0f}% of its events after the acceptance, at window "
                "resources: the applicant comes back to the counter (pickup)"
            )
        elif _TRANSFER_NAME.search(name) or courier_share >= 0.5:
            kind, reason = "transfer", "name or resource says transfer/courier"
        elif has_resources and missing >= NO_RESOURCE_SHARE:
            kind, reason = "delay", f"no resource on {100 * missing:.0f}% of its events"
        elif len(clock) >= 10 and is_session_pattern(clock):
            kind = "session"
            reason = (
                f"{100 * coverage:.0f}% of its events at "
                + ", ".join(f"{m // 60:02d}:{m % 60:02d}" for m in times)
                + " (+-5 min)"
            )
        elif (found := round_pattern(res_code[idx], start[idx], end[idx], ready[idx])).is_round:
            kind, reason, pattern = "session", found.reason, "round"
            times, coverage = found.times_min, found.coverage
        elif shared >= SHARED_SHARE:
            kind = "delay"
            reason = (
                f"{100 * shared:.0f}% of its events under shared resource names (overlapping "
                "intervals): a delay in working days"
            )
        elif not has_resources and med_days >= DELAY_MIN_DAYS:
            kind, reason = "delay", f"no resources in the log; median {med_days:.1f} working days"
        else:
            kind, reason = "work", "timed work by staff (default)"
        rows.append(
            {
                "activity": name,
                "kind": kind,
                "n": n,
                "reason": reason,
                "clock_times": times,
                "coverage": coverage,
                "date_only": date_only,
                "pattern": pattern,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "activity",
            "kind",
            "n",
            "reason",
            "clock_times",
            "coverage",
            "date_only",
            "pattern",
        ],
    )
