"""Command-line options shared by every sub-command that reads a case log.

``--encoding``, ``--map TARGET=SOURCE`` and ``--mapping FILE`` mean the same for
``simhall calibrate`` and ``simhall validate``; this module defines them once.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from simhall.logs.schema import IDENTITY, ColumnMapping


def add_log_options(p: argparse.ArgumentParser) -> None:
    """Add ``--encoding``, ``--map`` and ``--mapping`` to a sub-command's parser."""
    p.add_argument("--encoding", help="CSV encoding (default: detected)")
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="TARGET=SOURCE",
        help="column mapping item (repeatable); TARGET:=VALUE sets a constant",
    )
    p.add_argument("--mapping", type=Path, help="column mapping file (TOML)")


def mapping_from_args(args: argparse.Namespace) -> ColumnMapping | None:
    """The column mapping given by ``--mapping`` and ``--map`` (``None`` for the default)."""
    mapping = ColumnMapping.from_file(args.mapping) if args.mapping else None
    if args.map:
        mapping = ColumnMapping.from_cli(args.map, base=mapping or IDENTITY)
    return mapping
