"""Named random streams: reproducible, independent by name, hash-seed independent."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from simhall.distributions import (
    Distribution,
    Empirical,
    Exponential,
    Gamma,
    Lognormal,
    Triangular,
    Uniform,
    UniformInt,
    Weibull,
)
from simhall.streams import (
    BLOCK,
    Draws,
    NamedStreams,
    Stream,
    UniformStream,
    generator,
    name_key,
    seed_sequence,
)

ROOT = Path(__file__).resolve().parents[1]
NAMES = ["arrivals/A", "window/A", "review/B/2", "返回/营业执照", ""]


def test_block_size() -> None:
    assert BLOCK == 256  # the consumption test below crosses block boundaries at this size


def test_same_name_and_seed_identical() -> None:
    a = generator(20071001, 0, "window/A").random(1000)
    b = generator(20071001, 0, "window/A").random(1000)
    np.testing.assert_array_equal(a, b)


def test_different_names_differ() -> None:
    draws = {name: tuple(generator(1, 0, name).random(8)) for name in NAMES}
    assert len(set(draws.values())) == len(NAMES)


def test_different_replications_and_seeds_differ() -> None:
    base = generator(1, 0, "x").random(8)
    assert not np.array_equal(base, generator(1, 1, "x").random(8))
    assert not np.array_equal(base, generator(2, 0, "x").random(8))


def test_creation_order_does_not_matter() -> None:
    first = [generator(5, 3, n).random(4) for n in NAMES]
    second = [generator(5, 3, n).random(4) for n in reversed(NAMES)][::-1]
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)


def test_name_key_is_two_32_bit_words() -> None:
    for name in NAMES:
        lo, hi = name_key(name)
        assert 0 <= lo < 2**32 and 0 <= hi < 2**32
    assert name_key("a") != name_key("b")
    ss = seed_sequence(9, 2, "a")
    assert ss.entropy == 9
    assert ss.spawn_key == (2, *name_key("a"))


_CHILD = """
import json, sys
from simhall.streams import generator, name_key
names = json.loads(sys.argv[1])
print(json.dumps({n: [list(name_key(n)), generator(42, 1, n).random(3).tolist()] for n in names}))
"""


def _keys_in_subprocess(hashseed: str) -> dict[str, list[object]]:
    env = dict(os.environ, PYTHONHASHSEED=hashseed)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, json.dumps(NAMES)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout)


def test_name_key_independent_of_pythonhashseed() -> None:
    here = {n: [list(name_key(n)), generator(42, 1, n).random(3).tolist()] for n in NAMES}
    for hashseed in ("1", "12345"):
        assert _keys_in_subprocess(hashseed) == here
    # sanity: str hashes really do differ between those processes, so the check has teeth
    probe = "import sys; print(hash(sys.argv[1]))"
    hashes = {
        subprocess.run(
            [sys.executable, "-c", probe, "window/A"],
            env=dict(os.environ, PYTHONHASHSEED=h),
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for h in ("1", "12345")
    }
    assert len(hashes) == 2


DISTS: list[Distribution] = [
    Exponential(3.0),
    Lognormal(10.0, 4.0),
    Gamma(5.0, 2.0),
    Weibull(1.3, 7.0),
    Uniform(1.0, 2.0),
    Triangular(1.0, 2.0, 5.0),
    UniformInt(1, 6),
    Empirical([1.0, 2.0, 3.5]),
]


@pytest.mark.parametrize("dist", DISTS, ids=repr)
@pytest.mark.parametrize("n", [1, BLOCK - 1, BLOCK, BLOCK + 1, 700])
def test_stream_matches_one_big_sample(dist: Distribution, n: int) -> None:
    """Presampling in blocks of BLOCK gives the prefix of one sample(rng, 700) call.

    For UniformInt and Empirical (numpy's bounded integers) this relies on BLOCK being even:
    numpy draws small-range integers from 32-bit halves of 64-bit words and drops an unused
    half at the end of each call (rejections, which could shift it, are ~1e-9 likely here).
    """
    expected = dist.sample(generator(3, 0, "s"), 700)[:n]
    stream = Stream(generator(3, 0, "s"), dist)
    got = [next(stream) for _ in range(n)]
    np.testing.assert_array_equal(np.asarray(got), expected)
    assert all(type(v) is float for v in got)


def test_uniform_stream_matches_random() -> None:
    expected = generator(8, 2, "coin").random(700)
    stream = UniformStream(generator(8, 2, "coin"))
    got = np.array([next(stream) for _ in range(700)])
    np.testing.assert_array_equal(got, expected)
    assert got.min() >= 0.0 and got.max() < 1.0


def test_named_streams_are_the_streams_of_seed_replication_and_name() -> None:
    streams = NamedStreams(seed=8, replication=2)
    np.testing.assert_array_equal(
        streams.generator("arrivals/A").random(5), generator(8, 2, "arrivals/A").random(5)
    )
    coin = streams.uniform("coin")
    assert [next(coin) for _ in range(300)] == generator(8, 2, "coin").random(300).tolist()
    dist = Lognormal(10.0, 4.0)
    draws = streams.stream("window/A", dist)
    expected = dist.sample(generator(8, 2, "window/A"), 300).tolist()
    assert [next(draws) for _ in range(300)] == expected
    # each call is a fresh stream: asking twice for one name repeats its values
    assert next(streams.uniform("coin")) == next(NamedStreams(8, 2).uniform("coin"))
    assert repr(streams) == "NamedStreams(seed=8, replication=2)"


def test_a_subclass_scripts_some_streams_and_leaves_the_others() -> None:
    class Loaded(NamedStreams):
        def uniform(self, name: str) -> Draws:
            if name == "coin":
                return UniformStream(generator(0, 0, "another die"))
            return super().uniform(name)

    loaded, plain = Loaded(1), NamedStreams(1)
    assert next(loaded.uniform("coin")) != next(plain.uniform("coin"))
    assert next(loaded.uniform("other")) == next(plain.uniform("other"))
