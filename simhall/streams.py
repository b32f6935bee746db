"""Named random streams spawned from one seed.

Think of the hall's randomness as many separate dice, one per item and purpose (arrivals of
item A, window minutes of item A, review time of item B's second step ...). Each die is a
:class:`numpy.random.Generator` whose seed is derived from the master seed, the replication
number and the die's *name*, never from the order in which dice are created. So changing or
adding one item leaves every other item's draws unchanged (common random numbers), and a
replication gives the same numbers in any process or on any worker.

:class:`NamedStreams` is the box of dice of one replication. A model takes every stream from
it by name, so a test (or a study of one mechanism) can hand the model a box in which a few
named dice are loaded (a subclass overriding :meth:`NamedStreams.uniform` or
:meth:`NamedStreams.stream`) without touching the model's internals.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any, Protocol, cast

import numpy as np

BLOCK = 256
"""Values presampled at a time by :class:`Stream`."""


def name_key(name: str) -> tuple[int, int]:
    """A stable 64-bit key of a stream name, as two 32-bit words (independent of PYTHONHASHSEED)."""
    digest = hashlib.blake2b(name.encode("utf-8"), digest_size=8).digest()
    value = int.from_bytes(digest, "little")
    return value & 0xFFFFFFFF, value >> 32


def seed_sequence(seed: int, replication: int, name: str) -> np.random.SeedSequence:
    """The SeedSequence of stream ``name`` in ``replication`` under master ``seed``."""
    return np.random.SeedSequence(entropy=seed, spawn_key=(replication, *name_key(name)))


def generator(seed: int, replication: int, name: str) -> np.random.Generator:
    """A fresh PCG64 generator for stream ``name`` (see :func:`seed_sequence`)."""
    return np.random.Generator(np.random.PCG64(seed_sequence(seed, replication, name)))


def _blocks(draw: Callable[[], Any]) -> Iterator[list[float]]:
    """Blocks of ``BLOCK`` values, one ``draw()`` each, as lists of Python floats."""
    while True:
        yield draw().tolist()


class Stream(itertools.chain[float]):
    """Draws of one distribution from one named generator, presampled in blocks.

    Like a roll of raffle tickets: the simulation tears off one value at a time
    (``next(stream)``), and a new roll of ``BLOCK`` values is printed, with one numpy call,
    when the last one runs out. A stream is an iterator of floats whose ``next()`` is
    :class:`itertools.chain`'s, in C: a value costs a list step, not a Python call. The
    sequence of values does not depend on the block size's relation to how many are used.

    Parameters
    ----------
    rng : numpy.random.Generator
        The stream's generator.
    sampler : object
        A distribution with ``sample(rng, n)`` (:mod:`simhall.distributions`).
    """

    __slots__ = ()

    def __new__(cls, rng: np.random.Generator, sampler: Any) -> Stream:
        return cast(Stream, cls.from_iterable(_blocks(partial(sampler.sample, rng, BLOCK))))


class UniformStream(itertools.chain[float]):
    """Uniform(0, 1) draws from one named generator (coin flips), presampled in blocks as
    :class:`Stream` presamples its values; ``next(stream)`` is the next value in [0, 1).

    Parameters
    ----------
    rng : numpy.random.Generator
        The stream's generator.
    """

    __slots__ = ()

    def __new__(cls, rng: np.random.Generator) -> UniformStream:
        return cast(UniformStream, cls.from_iterable(_blocks(partial(rng.random, BLOCK))))


class Draws(Protocol):
    """Anything that gives one value at a time with ``next()`` (:class:`Stream`,
    :class:`UniformStream`, or a scripted stand-in in a test)."""

    def __next__(self) -> float:
        """The next value."""
        ...


class NamedStreams:
    """Every named stream of one replication of master ``seed``.

    Parameters
    ----------
    seed : int
        Master seed.
    replication : int
        Replication number (0-based).

    Notes
    -----
    Each call builds a fresh stream from :func:`generator`, so asking twice for one name
    gives two streams with the same values. Subclasses may override :meth:`stream` or
    :meth:`uniform` for some names (scripted draws) and defer to this class for the others.

    Examples
    --------
    >>> streams = NamedStreams(seed=1, replication=0)
    >>> next(streams.uniform("item/a/incomplete")) == next(streams.uniform("item/a/incomplete"))
    True
    """

    __slots__ = ("seed", "replication")

    def __init__(self, seed: int, replication: int = 0) -> None:
        self.seed = seed
        self.replication = replication

    def __repr__(self) -> str:
        return f"{type(self).__name__}(seed={self.seed}, replication={self.replication})"

    def generator(self, name: str) -> np.random.Generator:
        """A fresh generator of stream ``name`` (for draws of whole arrays at once)."""
        return generator(self.seed, self.replication, name)

    def stream(self, name: str, sampler: object) -> Draws:
        """Draws of ``sampler`` (a distribution with ``sample(rng, n)``) from stream ``name``."""
        return Stream(self.generator(name), sampler)

    def uniform(self, name: str) -> Draws:
        """Uniform(0, 1) draws (coin flips) from stream ``name``."""
        return UniformStream(self.generator(name))
