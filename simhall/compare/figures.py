"""Figures of a :class:`~simhall.compare.Comparison`: P95 working days before and after of
the items each reform changed, and the contributions of combined reforms.

Each figure function returns a bare :class:`matplotlib.figure.Figure` in simhall's style
(:mod:`simhall.reporting.figures`) with labels in Chinese, English or both
(:mod:`simhall.reporting.labels`); :func:`figures` gives them by file stem and
:func:`write_figures` saves them as PNG next to the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from simhall.compare.comparison import Comparison
from simhall.reporting.figures import COLOURS, new_figure, save_png
from simhall.reporting.labels import Lang, name_label, phrase

__all__ = [
    "MAX_ITEMS",
    "changed_items",
    "contributions_figure",
    "figures",
    "p95_figure",
    "safe_name",
    "write_figures",
]

MAX_ITEMS = 40
"""Items drawn per P95 figure at most (those whose P95 changed most)."""


def changed_items(items: pd.DataFrame, max_items: int = MAX_ITEMS) -> pd.DataFrame:
    """The rows of ``items`` whose item the reform changed, at most ``max_items``.

    An item is changed when its committed limit or its number of approval steps differs, it
    is new with the reform, or the paired 95% CI of its P95 change excludes zero (a route
    made parallel, more windows or staff). Of those, the ``max_items`` with the largest P95
    change are kept, ordered by the change (largest cut first).

    Parameters
    ----------
    items : pandas.DataFrame
        Rows of one scenario of :func:`simhall.compare.item_table`.
    max_items : int
        At most this many rows.
    """
    committed_b = pd.to_numeric(items["committed_before"], errors="coerce")
    committed_a = pd.to_numeric(items["committed_after"], errors="coerce")
    removed = pd.to_numeric(items["removed"], errors="coerce").fillna(0.0)
    lo = pd.to_numeric(items["p95_diff_ci_low"], errors="coerce")
    hi = pd.to_numeric(items["p95_diff_ci_high"], errors="coerce")
    changed = (
        ((committed_b != committed_a) & committed_a.notna())
        | (removed != 0)
        | committed_b.isna()
        | (lo > 0)
        | (hi < 0)
    )
    sel = items[changed & items["p95_after"].notna()]
    size = sel["p95_diff"].abs().fillna(np.inf)
    top = sel.loc[size.sort_values(ascending=False, kind="stable").index[:max_items]]
    return top.sort_values("p95_diff", kind="stable", na_position="first")


def p95_figure(
    items: pd.DataFrame,
    label: str,
    *,
    lang: Lang | None = None,
    n_changed: int | None = None,
    title: str | None = None,
) -> Figure:
    """Bars of P95 working days before and after per item, with the committed limit before.

    Parameters
    ----------
    items : pandas.DataFrame
        Rows of :func:`simhall.compare.item_table` to draw (e.g. :func:`changed_items`).
    label : str
        Scenario label for the title.
    lang : {"zh", "en", "both"}, optional
        Label language; items are shown by name and id.
    n_changed : int, optional
        How many items the reform changed in all (said in the title when more are drawn).
    title : str, optional
        A title of its own (default: the items the reform changed in ``label``).
    """
    n = len(items)
    fig = new_figure((9.0, max(3.2, 2.0 + 0.26 * n)))
    ax = fig.add_subplot()
    y = np.arange(n)[::-1]
    ax.barh(
        y + 0.2,
        items["p95_before"],
        height=0.4,
        color=COLOURS["before"],
        label=phrase("p95_before", lang),
    )
    ax.barh(
        y - 0.2,
        items["p95_after"],
        height=0.4,
        color=COLOURS["after"],
        label=phrase("p95_after", lang),
    )
    ax.scatter(
        pd.to_numeric(items["committed_before"], errors="coerce").astype(float),
        y,
        marker="|",
        color=COLOURS["committed"],
        s=120,
        label=phrase("committed_before", lang),
    )
    names = [name_label(i, nm, lang) for i, nm in zip(items["item_id"], items["name"])]
    ax.set_yticks(y, names, fontsize=8)
    ax.set_ylim(-0.7, n - 0.3)
    ax.set_xlabel(phrase("p95_days", lang))
    title = title or phrase("p95_title", lang, label=label)
    if n_changed is not None and n_changed > n:
        title += f" ({n}/{n_changed})"
    ax.set_title(title)
    fig.legend(loc="outside lower center", ncols=3, frameon=False)
    return fig


def contributions_figure(contributions: pd.DataFrame, *, lang: Lang | None = None) -> Figure:
    """Bars of each reform's contribution to the summed limit at the service level, one
    group of bars per view (``add_one``, ``leave_one_out``)."""
    c = contributions[contributions["figure"] == "limit_sum"]
    fig = new_figure((8.0, 4.0))
    ax = fig.add_subplot()
    colours = (COLOURS["bar"], COLOURS["bar2"])
    for k, (view, g) in enumerate(c.groupby("view", sort=False)):
        x = np.arange(len(g)) + 0.4 * k
        key = str(view)
        ax.bar(
            x,
            g["contribution"],
            width=0.4,
            color=colours[k % 2],
            label=phrase(key, lang) if key in ("add_one", "leave_one_out") else key,
        )
        ax.set_xticks(np.arange(len(g)) + 0.2, g["reform"], fontsize=8)
    ax.axhline(0, color=COLOURS["committed"], lw=0.5)
    ax.set_ylabel(phrase("contrib_y", lang))
    ax.set_title(phrase("contrib_title", lang))
    ax.legend(frameon=False)
    return fig


def safe_name(text: str) -> str:
    """``text`` usable in a file name (anything but letters, digits, ``-`` and ``_`` -> ``_``)."""
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in text)


def _tagged(items: pd.DataFrame, tags: Sequence[str]) -> pd.DataFrame:
    wanted = set(tags)
    keep = items["tags"].fillna("").apply(lambda t: not wanted or bool(wanted & set(t.split(";"))))
    return items[keep]


def figures(
    cmp: Comparison, tags: Sequence[str] = (), *, lang: Lang | None = None
) -> dict[str, Figure]:
    """The comparison's figures by file stem: ``p95_<scenario>`` per reformed scenario (the
    changed items among those carrying any of ``tags``, all when empty) and
    ``contributions`` when contributions were computed."""
    out: dict[str, Figure] = {}
    for label, it in cmp.items.groupby("scenario", sort=False):
        candidates = _tagged(it, tags)
        sel = changed_items(candidates)
        if not len(sel):
            continue
        n_changed = len(changed_items(candidates, max_items=len(candidates)))
        out[f"p95_{safe_name(str(label))}"] = p95_figure(
            sel, str(label), lang=lang, n_changed=n_changed
        )
    if len(cmp.contributions):
        out["contributions"] = contributions_figure(cmp.contributions, lang=lang)
    return out


def write_figures(
    cmp: Comparison, out: Path, tags: Sequence[str] = (), *, lang: Lang | None = None
) -> list[str]:
    """Save the comparison's :func:`figures` as PNG in ``out``; the file names written."""
    written = []
    for stem, fig in figures(cmp, tags, lang=lang).items():
        save_png(fig, out / f"{stem}.png")
        written.append(f"{stem}.png")
    return written
