"""Bilingual labels of figures: the words on axes and legends in Chinese, English or both.

Like the bilingual signs of a service hall (受理 Acceptance, 取号 Take a ticket), every word
simhall puts on a figure has a Chinese and an English form, and departments and items are
shown by their names from the scenario (市建委, 建筑工程施工许可证核发) next to their ids.
The language is ``zh``, ``en`` or ``both`` (Chinese first, English beside); a figure
function takes ``lang=None`` for the current language, which the command line's ``--lang``
sets (:func:`set_language`) and :func:`language` sets for a block.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Literal

__all__ = [
    "LANGS",
    "PHRASES",
    "Lang",
    "bilingual",
    "check_lang",
    "current_language",
    "language",
    "name_label",
    "names_of",
    "phrase",
    "set_language",
]

Lang = Literal["zh", "en", "both"]
LANGS: tuple[Lang, ...] = ("zh", "en", "both")
"""The languages a figure can be labelled in."""

_LANG: dict[str, Lang] = {"current": "both"}

PHRASES: dict[str, tuple[str, str]] = {
    "working_days": ("working days", "工作日"),
    "counted_days": ("counted working days from acceptance to completion", "受理至办结工作日"),
    "committed_limit": ("committed limit", "承诺时限"),
    "committed_before": ("committed limit before", "改革前承诺时限"),
    "p95_before": ("P95 before", "改革前P95"),
    "p95_after": ("P95 after", "改革后P95"),
    "recommended_after": ("recommended limit after", "改革后建议时限"),
    "before": ("before", "改革前"),
    "after": ("after", "改革后"),
    "cases": ("cases", "件数"),
    "commitment_items": ("commitment items", "承诺件事项"),
    "simulated_eq_committed": ("simulated = committed", "模拟 = 承诺"),
    "simulated_p": ("simulated P{p}", "模拟P{p}"),
    "limits_title": ("Committed limits against simulated durations", "承诺时限与模拟办理时间"),
    "durations_title": ("Working-day durations of commitment cases", "承诺件办理工作日分布"),
    "p95_title": ("{label}: P95 of the items the reform changed", "{label}：改革所涉事项P95"),
    "p95_days": ("P95 working days", "P95工作日"),
    "contrib_title": ("Contributions of each reform", "各项改革的贡献"),
    "contrib_y": ("change of the summed limit at SL (days)", "服务水平下时限合计变化（天）"),
    "add_one": ("add one", "单项加入"),
    "leave_one_out": ("leave one out", "单项剔除"),
    "observed": ("observed", "实际"),
    "simulated": ("simulated", "模拟"),
    "simulated_mean": ("simulated (mean of replications)", "模拟（重复均值）"),
    "whole_hall": ("whole hall", "全厅"),
    "ecdf_title": (
        "Working days from acceptance to completion: ECDF, observed vs simulated",
        "受理至办结工作日经验分布：实际与模拟",
    ),
    "weekly_y": ("accepted cases per week", "每周受理件数"),
    "weekly_title": ("Weekly case counts", "每周件数"),
    "hour": ("hour of day", "时段"),
    "ticket_share": ("share of tickets", "取号占比"),
    "hourly_title": ("Hourly ticket profile", "分时段取号分布"),
    "intraday_title": ("Intraday ticket profile (weight)", "日内取号分布（权重）"),
    "weekday_title": ("Weekday factors", "星期系数"),
    "chief_title": ("Chief representatives: items tagged {tag}", "首席代表：{tag}事项"),
    "visits_bundle": ("window visits per bundle", "每套申请窗口往返次数"),
    "minutes_bundle": ("window minutes per bundle", "每套申请窗口分钟"),
    "days_bundle": ("working days per bundle", "每套申请工作日"),
    "minutes_waiting": ("minutes (hatched: waiting)", "分钟（斜线：等候）"),
    "one_form_title": (
        "Enterprise registration bundle: before and after one-form registration",
        "企业登记：一表制前后",
    ),
    "report": ("report", "报告数"),
    "simhall_ci": ("simhall (95% CI)", "simhall预测（95%置信区间）"),
    "huainan_title": (
        "Huainan 2007: the report's post-reform figures against simhall's predictions",
        "淮南2007：报告的改革后数据与simhall预测",
    ),
    "share": ("share", "比例"),
    "value": ("value", "数值"),
    "department": ("department", "部门"),
    "panel_title": ("{dept}: P95 working days per item", "{dept}：各事项P95工作日"),
    "window_wait": ("mean window wait (min)", "窗口平均等候（分钟）"),
    "base": ("base", "现状"),
    "plan": ("plan", "方案"),
}
"""Words on simhall figures: key -> (English, Chinese); ``{name}`` fields are filled in."""


def check_lang(lang: object) -> Lang:
    """``lang`` if it is one of :data:`LANGS`.

    Raises
    ------
    ValueError
        Naming the value and the languages expected.
    """
    if lang not in LANGS:
        raise ValueError(f"language {lang!r}: expected one of {', '.join(LANGS)}")
    return lang  # type: ignore[return-value]


def current_language() -> Lang:
    """The language figures are labelled in when a function is given ``lang=None``."""
    return _LANG["current"]


def set_language(lang: Lang) -> None:
    """Label figures in ``lang`` from now on (the command line's ``--lang``)."""
    _LANG["current"] = check_lang(lang)


@contextmanager
def language(lang: Lang) -> Iterator[None]:
    """Label figures in ``lang`` inside the ``with`` block."""
    before = _LANG["current"]
    _LANG["current"] = check_lang(lang)
    try:
        yield
    finally:
        _LANG["current"] = before


def _resolve(lang: Lang | None) -> Lang:
    return current_language() if lang is None else check_lang(lang)


LINE_CHARS = 48
"""Both languages longer than this together go on two lines (Chinese above)."""


def bilingual(en: str, zh: str, lang: Lang | None = None) -> str:
    """``zh``, ``en`` or both (``"zh en"``, on two lines when longer than
    :data:`LINE_CHARS`; just one when the two are the same or one is empty)."""
    which = _resolve(lang)
    if which == "zh":
        return zh or en
    if which == "en" or not zh or zh == en:
        return en
    if not en:
        return zh
    sep = "\n" if len(zh) + len(en) > LINE_CHARS else " "
    return f"{zh}{sep}{en}"


def phrase(key: str, lang: Lang | None = None, **fields: object) -> str:
    """The phrase ``key`` of :data:`PHRASES` in ``lang``, its ``{fields}`` filled in."""
    en, zh = PHRASES[key]
    return bilingual(en.format(**fields), zh.format(**fields), lang)


def name_label(ident: object, name: object = None, lang: Lang | None = None) -> str:
    """A department or item shown by its name and id: ``zh`` the name, ``en`` the id,
    ``both`` ``name (id)``; the id alone where there is no name (or it is the id)."""
    i = str(ident)
    n = "" if name is None or name != name else str(name).strip()  # NaN != NaN
    if not n or n == i:
        return i
    which = _resolve(lang)
    if which == "zh":
        return n
    if which == "en":
        return i
    return f"{n} ({i})"


def names_of(entries: object) -> Mapping[str, str]:
    """``id -> name`` of scenario objects with ``id`` and ``name`` (departments, items)."""
    out: dict[str, str] = {}
    for e in entries:  # type: ignore[attr-defined]
        out[str(e.id)] = str(getattr(e, "name", "") or "")
    return out
