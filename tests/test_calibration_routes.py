"""``simhall.calibration.routes``: route steps, probabilities and lumped rare steps."""

from __future__ import annotations

import numpy as np

from simhall.calibration.routes import LUMPED_STEP, route_steps


def test_rare_route_steps_are_lumped() -> None:
    n_cases = 200
    case, act, t = [], [], []
    for c in range(n_cases):
        seq = [0, 1] + ([2] if c % 50 == 0 else []) + ([3] if c % 40 == 1 else [])
        for k, a in enumerate(seq):
            case.append(c)
            act.append(a)
            t.append(c * 10.0 + k + 1)
    case_a, act_a = np.array(case), np.array(act)
    steps, _ = route_steps(
        case_a,
        np.zeros(len(case_a), dtype=np.int64),
        act_a,
        np.array(t),
        np.arange(n_cases) * 10.0,
        np.arange(n_cases) * 10.0 + 4,
        np.zeros(n_cases, dtype=np.int64),
        ["a", "b", "rare1", "rare2"],
        1,
        min_share=0.05,
    )
    names = [s.activity for s in steps[0]]
    assert names[:2] == ["a", "b"] and names[2] == LUMPED_STEP
    lumped = steps[0][2]
    assert lumped.lumped == ("rare1", "rare2")
    assert lumped.n_cases == 4 + 5
