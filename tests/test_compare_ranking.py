"""``simhall.compare.ranking``: departments ranked for chief representatives within a
budget (through :func:`simhall.compare.compare`)."""

from __future__ import annotations

from simhall.compare import Comparison


def test_compare_ranks_departments_within_the_budget(comparison: Comparison) -> None:
    cmp = comparison
    assert set(cmp.ranking["department"]) == {"d", "e"}
    top = cmp.ranking.iloc[0]
    assert top["department"] == "d" and top["selected"] and top["compression_days"] > 0
    assert cmp.ranking["selected"].sum() == 1
