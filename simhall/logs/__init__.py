"""Reading real case logs into the simulator's event schema, for calibration.

The package is the hall's records office: it takes whatever register a hall system exports
(CSV in UTF-8 or GBK with Chinese headers, Parquet, or process-mining XES), copies the
timing columns into the schema the simulator also writes (:mod:`simhall.logs.schema`),
checks them (:mod:`simhall.logs.cleaning`), keeps personal data out
(:mod:`simhall.logs.privacy`), and reports every row it could not use.

Main entry points: :func:`read_event_log`, :func:`read_items`, :func:`bpic15_path`,
:func:`read_bpic15`; mappings :class:`ColumnMapping` with presets ``XES``, ``BPIC15``,
``CHINESE``.
"""

from simhall.logs.cleaning import ISSUE_COLUMNS, clean_events, format_issues
from simhall.logs.privacy import looks_like_pii, pseudonymize, scrub
from simhall.logs.readers import (
    LogReadResult,
    bpic15_path,
    detect_encoding,
    read_bpic15,
    read_event_log,
    read_items,
    write_event_log,
)
from simhall.logs.schema import (
    BPIC15,
    CHINESE,
    EVENT_COLUMNS,
    ITEM_COLUMNS,
    XES,
    ColumnMapping,
    LogError,
    canonicalize_events,
)

__all__ = [
    "BPIC15",
    "CHINESE",
    "EVENT_COLUMNS",
    "ISSUE_COLUMNS",
    "ITEM_COLUMNS",
    "XES",
    "ColumnMapping",
    "LogError",
    "LogReadResult",
    "bpic15_path",
    "canonicalize_events",
    "clean_events",
    "detect_encoding",
    "format_issues",
    "looks_like_pii",
    "pseudonymize",
    "read_bpic15",
    "read_event_log",
    "read_items",
    "scrub",
    "write_event_log",
]
