"""Log file formats: which reader a file needs, whether a ``.gz`` really is gzip, which
text encoding a CSV is in.

Before copying a register, the records office looks at what it was handed: a spreadsheet
export, a columnar file, a process-mining XES file, maybe zipped, maybe written on a Chinese
Windows machine in GBK. :func:`log_format` tells the format from the suffix (``.csv``,
``.csv.gz``, ``.parquet``/``.pq``, ``.xes``, ``.xes.gz``), :func:`check_gzip` refuses a
``.gz`` file that is not compressed, and :func:`detect_encoding` finds a CSV's encoding:
UTF-8 (with or without BOM), else GBK, else GB18030, by decoding the whole file
incrementally, so a bad byte on line 900,000 is found and named by its line.
"""

from __future__ import annotations

import codecs
import gzip
from pathlib import Path
from typing import IO, cast

from simhall.logs.errors import LogError

__all__ = ["check_gzip", "detect_encoding", "log_format", "open_bytes"]

_CHUNK = 1 << 20


def log_format(path: str | Path) -> str:
    """Format of a log file from its suffix.

    Parameters
    ----------
    path : str or Path
        File name.

    Returns
    -------
    str
        ``"csv"``, ``"parquet"`` or ``"xes"``.

    Raises
    ------
    LogError
        For any other suffix.
    """
    name = Path(path).name.lower()
    for suffix, fmt in (
        (".csv", "csv"),
        (".csv.gz", "csv"),
        (".parquet", "parquet"),
        (".pq", "parquet"),
        (".xes", "xes"),
        (".xes.gz", "xes"),
    ):
        if name.endswith(suffix):
            return fmt
    raise LogError(
        "unsupported log format",
        file=path,
        expected=".csv, .csv.gz, .parquet, .xes or .xes.gz",
    )


_GZIP_MAGIC = b"\x1f\x8b"


def check_gzip(path: Path) -> None:
    """Raise :class:`LogError` if a file named ``*.gz`` is not gzip-compressed."""
    if not path.name.lower().endswith(".gz"):
        return
    with open(path, "rb") as fh:
        magic = fh.read(2)
    if magic != _GZIP_MAGIC:
        raise LogError(
            f"not a gzip file (it starts with {magic!r}, a gzip file with {_GZIP_MAGIC!r}); "
            "if it is plain text, rename it without .gz",
            file=path,
        )


def open_bytes(path: Path) -> IO[bytes]:
    """Open a file for reading bytes, decompressing it if it is named ``*.gz``."""
    if path.name.lower().endswith(".gz"):
        check_gzip(path)
        return cast(IO[bytes], gzip.open(path, "rb"))
    return open(path, "rb")


def _decodes(path: Path, encoding: str) -> tuple[bool, int]:
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = 0
    with open_bytes(path) as fh:
        while chunk := fh.read(_CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                return False, offset + exc.start
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False, offset
    return True, -1


def _line_of(path: Path, position: int) -> int:
    line = 1
    seen = 0
    with open_bytes(path) as fh:
        while seen < position and (chunk := fh.read(min(_CHUNK, position - seen))):
            line += chunk.count(b"\n")
            seen += len(chunk)
    return line


def detect_encoding(path: str | Path) -> str:
    """Detect the text encoding of a (possibly gzip-compressed) CSV file.

    UTF-8 with BOM gives ``"utf-8-sig"``; otherwise the file is decoded incrementally as
    UTF-8, then GBK, then GB18030 (a superset of GBK), and the first that decodes the whole
    file wins.

    Parameters
    ----------
    path : str or Path
        The file.

    Returns
    -------
    str
        ``"utf-8-sig"``, ``"utf-8"``, ``"gbk"`` or ``"gb18030"``.

    Raises
    ------
    LogError
        If none decodes the file (naming the line of the first bad byte under UTF-8).
    """
    path = Path(path)
    with open_bytes(path) as fh:
        head = fh.read(3)
    if head == codecs.BOM_UTF8:
        return "utf-8-sig"
    ok, position = _decodes(path, "utf-8")
    if ok:
        return "utf-8"
    for encoding in ("gbk", "gb18030"):
        if _decodes(path, encoding)[0]:
            return encoding
    raise LogError(
        "cannot decode the file as UTF-8, GBK or GB18030 (is it a text CSV?); name its "
        "encoding with --encoding (Python: encoding=)",
        file=path,
        rows=[_line_of(path, position)],
    )
