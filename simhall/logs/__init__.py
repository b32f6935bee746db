"""Reading real case logs into the simulator's event schema, for calibration.

The package is the hall's records office: it takes whatever register a hall system exports
(CSV in UTF-8 or GBK with Chinese headers, Parquet, or process-mining XES), copies the
timing columns into the schema the simulator also writes, checks them, keeps personal data
out, and reports every row it could not use. One concept per module:

============ ==============================================================================
module       concept
============ ==============================================================================
schema       the columns of an event log and an items catalogue; the activity names
errors       :class:`LogError`, naming file, rows, column, value and what was expected
mapping      :class:`ColumnMapping` (source column of each schema column) and its presets
formats      file formats, the gzip check, CSV encoding detection
readers      :func:`read_event_log` (one reader per format, then one pipeline) and
             :func:`write_event_log`
xes          the streaming XES parser and lifecycle pairing
items        the items catalogue (事项目录): :func:`read_items`
bpic15       the bundled BPI Challenge 2015 log and its case status as a closure rule
timestamps   parsing timestamps to local wall-clock time; date-only precision
issues       :class:`~simhall.logs.issues.Issue`: a problem class, its source rows, the action
checks       the checks, one function each (blank rows, missing values, dates, duplicates, ...)
cleaning     :func:`clean_events`: every check in order, the notes, strict mode
privacy      personal data: detection, pseudonyms, scrubbing
============ ==============================================================================

Main entry points: :func:`read_event_log`, :func:`read_items`, :func:`bpic15_path`,
:func:`read_bpic15`; mappings :class:`ColumnMapping` with presets ``XES``, ``BPIC15``,
``CHINESE``.
"""

from simhall.logs.bpic15 import bpic15_path, read_bpic15
from simhall.logs.cleaning import clean_events
from simhall.logs.errors import LogError
from simhall.logs.formats import detect_encoding
from simhall.logs.issues import ISSUE_COLUMNS, format_issues
from simhall.logs.items import read_items
from simhall.logs.mapping import BPIC15, CHINESE, XES, ColumnMapping
from simhall.logs.privacy import looks_like_pii, pseudonymize, scrub
from simhall.logs.readers import LogReadResult, read_event_log, write_event_log
from simhall.logs.schema import EVENT_COLUMNS, ITEM_COLUMNS, canonicalize_events

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
