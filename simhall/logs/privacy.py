"""Keeping citizens' personal data out of the case logs simhall reads.

Like a hall clerk who copies a file's number and dates into the statistics book but never
the applicant's name or ID card (身份证) number, the readers keep only the mapped schema
columns, and this module checks what is left: a column that looks like personal data
(resident ID numbers, mobile or landline numbers, or a header such as 姓名 / 申请人 / phone)
is removed or masked before anything else sees it.

* :func:`looks_like_pii` tells whether a column looks like personal data (by header or by
  values: 18-digit resident ID numbers with a valid check digit and birth date, Chinese
  mobile numbers ``1[3-9]`` + 9 digits, landlines with an area code ``0xx(x)-xxxxxxx(x)``).
* :func:`pseudonymize` replaces case ids by stable salted hashes (``"C"`` + 10 hex digits).
* :func:`scrub` drops non-schema columns that look like personal data, pseudonymizes
  ``case_id`` if it does, replaces ``resource`` values by ``R001``-style pseudonyms if any
  looks like an ID or phone number, and masks such substrings in other text columns.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from simhall.logs.schema import EVENT_COLUMNS

PII_HEADER_WORDS: tuple[str, ...] = (
    "姓名",
    "名字",
    "申请人",
    "申请者",
    "联系人",
    "法人",
    "代理人",
    "身份证",
    "证件号",
    "证件号码",
    "手机",
    "电话",
    "联系方式",
    "住址",
    "地址",
    "邮箱",
    "name",
    "applicant",
    "phone",
    "mobile",
    "telephone",
    "tel",
    "id_card",
    "idcard",
    "id_number",
    "identity",
    "passport",
    "address",
    "email",
    "e-mail",
)
"""Header words (case-insensitive, as whole tokens for the Latin ones) that mark personal
data columns."""

_LATIN_HEADER = re.compile(
    r"(?:^|[^a-z])(?:"
    + "|".join(re.escape(w) for w in PII_HEADER_WORDS if w.isascii())
    + r")(?:$|[^a-z])"
)
# Headers of schema columns that contain a Latin PII word but are not personal data.
_SAFE_HEADERS = frozenset({"concept:name", "case:concept:name", "activitynameen", "activitynamenl"})

_ID18_CORE = (
    r"[1-9][0-9]{5}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
    r"[0-9]{3}[0-9Xx]"
)
_MOBILE_CORE = r"(?:\+?86[- ]?)?1[3-9][0-9]{9}"
# Landlines need a separator after the area code (0 + 2-3 digits) so that zero-padded
# record numbers are not mistaken for them: 010-12345678, (0571) 8765432, 0755 23456789.
_LANDLINE_CORE = r"(?:\(0[1-9][0-9]{1,2}\) ?|0[1-9][0-9]{1,2}[- ])[1-9][0-9]{6,7}(?:-[0-9]{1,6})?"
# Python patterns (for substitution) bound numbers with lookarounds; the RE2 patterns used
# by pyarrow for fast vectorized screening bound them with groups instead.
_ID18 = re.compile(f"(?<![0-9]){_ID18_CORE}(?![0-9A-Za-z])")
_PHONE = re.compile(f"(?<![0-9])(?:{_MOBILE_CORE}|{_LANDLINE_CORE})(?![0-9])")
_ID18_RE2 = f"(?:^|[^0-9]){_ID18_CORE}(?:[^0-9A-Za-z]|$)"
_PHONE_RE2 = f"(?:^|[^0-9])(?:{_MOBILE_CORE}|{_LANDLINE_CORE})(?:[^0-9]|$)"
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_checksum_ok(number: str) -> bool:
    """Whether an 18-character resident ID number has a valid check digit (GB 11643).

    Parameters
    ----------
    number : str
        17 digits followed by a digit or ``X``.

    Returns
    -------
    bool
        True if the last character is the ISO 7064 MOD 11-2 check character.
    """
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17].upper()


def _contains_id(text: str) -> bool:
    return any(id_checksum_ok(m.group(0)) for m in _ID18.finditer(text))


def header_looks_like_pii(name: object) -> bool:
    """Whether a column header names personal data (姓名, 申请人, phone, id_card, ...).

    Parameters
    ----------
    name : object
        The header.

    Returns
    -------
    bool
        True for headers such as ``"申请人姓名"``, ``"联系电话"``, ``"Applicant name"``.
    """
    if name is None:
        return False
    text = str(name).strip().lower()
    if text in _SAFE_HEADERS:
        return False
    if any(w in text for w in PII_HEADER_WORDS if not w.isascii()):
        return True
    return bool(_LATIN_HEADER.search(text.replace("_", " ").replace("-", " "))) or any(
        w in text for w in ("id_card", "idcard", "id_number", "e-mail")
    )


def text_flags(texts: list[str]) -> np.ndarray:
    """Flag distinct texts that contain a resident ID (valid check digit) or a phone number.

    Screened vectorized with pyarrow's RE2 engine; only ID-like candidates are checked in
    Python for their check digit.

    Parameters
    ----------
    texts : list of str
        Distinct values.

    Returns
    -------
    ndarray of bool
        One flag per text.
    """
    if not texts:
        return np.zeros(0, dtype=bool)
    arr = pa.array(texts, type=pa.string())
    phone = pc.match_substring_regex(arr, _PHONE_RE2).to_numpy(zero_copy_only=False)
    id_like = pc.match_substring_regex(arr, _ID18_RE2).to_numpy(zero_copy_only=False)
    flags = np.asarray(phone, dtype=bool).copy()
    for i in np.flatnonzero(np.asarray(id_like, dtype=bool) & ~flags):
        flags[i] = _contains_id(texts[i])
    return flags


def pii_values(series: pd.Series) -> np.ndarray:
    """Per-value flags: does the value contain a resident ID or a phone number.

    Evaluated once per distinct value, so cheap on categorical or repetitive columns.

    Parameters
    ----------
    series : Series
        Values (any dtype; non-strings are converted with ``str``).

    Returns
    -------
    ndarray of bool
        One flag per element of ``series``.
    """
    if len(series) == 0:
        return np.zeros(0, dtype=bool)
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    flags = text_flags([str(u) for u in uniques])
    out = np.zeros(len(series), dtype=bool)
    valid = codes >= 0
    out[valid] = flags[codes[valid]]
    return out


def looks_like_pii(series: pd.Series, *, min_fraction: float = 0.0) -> bool:
    """Whether a column looks like personal data, by its header or its values.

    Parameters
    ----------
    series : Series
        The column; its ``name`` is checked with :func:`header_looks_like_pii`.
    min_fraction : float, default 0.0
        A column whose values trigger is one where more than this fraction of the non-null
        values contain a resident ID number (checksum- and birth-date-valid) or a mobile or
        landline number. The default flags a column with a single such value.

    Returns
    -------
    bool
        True if the header or the values look like personal data.
    """
    if header_looks_like_pii(series.name):
        return True
    nonnull = series.dropna()
    if len(nonnull) == 0:
        return False
    flags = pii_values(nonnull)
    return bool(flags.mean() > min_fraction) if min_fraction > 0 else bool(flags.any())


def pseudonymize(case_ids: pd.Series, salt: str) -> pd.Series:
    """Replace identifiers by stable salted pseudonyms ``"C"`` + 10 hex digits of BLAKE2b.

    The same id and salt always give the same pseudonym, so pseudonymized logs can still be
    joined; without the salt the original cannot be recovered by hashing guesses.

    Parameters
    ----------
    case_ids : Series
        Identifiers (missing values stay missing).
    salt : str
        Secret salt (use the same one for logs that must stay joinable).

    Returns
    -------
    Series
        ``str`` Series of pseudonyms with the same index and name.
    """
    codes, uniques = pd.factorize(case_ids, use_na_sentinel=True)
    key = salt.encode("utf-8")[:64]
    mapped = np.array(
        [
            "C" + hashlib.blake2b(str(u).encode("utf-8"), digest_size=5, key=key).hexdigest()
            for u in uniques
        ],
        dtype=object,
    )
    values = np.full(len(case_ids), np.nan, dtype=object)
    valid = codes >= 0
    values[valid] = mapped[codes[valid]]
    return pd.Series(values, index=case_ids.index, name=case_ids.name).astype("str")


def resource_pseudonyms(resources: pd.Series) -> pd.Series:
    """Replace each distinct value by ``R001``, ``R002``, ... in order of first appearance.

    Parameters
    ----------
    resources : Series
        Resource identifiers.

    Returns
    -------
    Series
        Categorical Series of pseudonyms (missing values stay missing).
    """
    codes, uniques = pd.factorize(resources, use_na_sentinel=True)
    width = max(3, len(str(len(uniques))))
    names = np.array([f"R{i + 1:0{width}d}" for i in range(len(uniques))], dtype=object)
    values = np.full(len(resources), np.nan, dtype=object)
    valid = codes >= 0
    values[valid] = names[codes[valid]]
    return pd.Series(values, index=resources.index, name=resources.name).astype("category")


def mask_text(series: pd.Series, mask: str = "***") -> pd.Series:
    """Replace ID and phone numbers inside text values by ``mask``.

    Parameters
    ----------
    series : Series
        Text values.
    mask : str, default "***"
        Replacement.

    Returns
    -------
    Series
        The values with personal numbers masked (categoricals stay categorical).
    """

    def _mask(text: str) -> str:
        text = _ID18.sub(lambda m: mask if id_checksum_ok(m.group(0)) else m.group(0), text)
        return _PHONE.sub(mask, text)

    if isinstance(series.dtype, pd.CategoricalDtype):
        cats = [_mask(str(c)) for c in series.cat.categories]
        return (
            pd.Series(
                np.asarray(cats, dtype=object)[series.cat.codes.to_numpy()],
                index=series.index,
                name=series.name,
            )
            .where(series.notna())
            .astype("str")
            .astype("category")
        )
    return series.map(lambda v: v if pd.isna(v) else _mask(str(v)))


def scrub_with_notes(
    df: pd.DataFrame, *, salt: str = "", headers: dict[str, str] | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """Remove or mask personal data; also say what was done.

    Parameters
    ----------
    df : DataFrame
        A frame, typically an event log.
    salt : str, default ""
        Salt for :func:`pseudonymize` of ``case_id``.
    headers : dict of str to str, optional
        Schema column -> original source header, so that a mapped column whose source header
        names personal data (e.g. ``resource`` from ``申请人``) is masked too.

    Returns
    -------
    DataFrame
        The scrubbed frame (a copy when anything changed).
    list of str
        Notes describing each removal or masking.
    """
    notes: list[str] = []
    headers = headers or {}
    out = df
    for column in list(df.columns):
        series = df[column]
        source = headers.get(str(column), str(column))
        is_schema = column in EVENT_COLUMNS
        if not is_schema:
            if looks_like_pii(series):
                out = out.drop(columns=[column])
                notes.append(f"column {column!r} looks like personal data: removed")
            continue
        if column in ("ready", "start", "end") or pd.api.types.is_datetime64_any_dtype(series):
            continue
        header_pii = column in ("case_id", "resource") and header_looks_like_pii(source)
        flags = pii_values(series)
        if not header_pii and not flags.any():
            continue
        why = (
            f"source header {source!r} names personal data"
            if header_pii
            else f"{int(flags.sum())} value(s) look like ID or phone numbers"
        )
        if out is df:
            out = df.copy()
        if column == "case_id":
            out[column] = pseudonymize(series, salt)
            notes.append(f"case_id: {why}; replaced by salted pseudonyms (C + 10 hex digits)")
        elif column == "resource":
            out[column] = resource_pseudonyms(series)
            notes.append(f"resource: {why}; replaced by pseudonyms R001, R002, ...")
        else:
            out[column] = mask_text(series)
            notes.append(f"{column}: {why}; masked with ***")
    return out, notes


def scrub(df: pd.DataFrame, *, salt: str = "") -> pd.DataFrame:
    """Remove or mask any column or value of ``df`` that looks like personal data.

    Non-schema columns that look like personal data are dropped; ``case_id`` values are
    pseudonymized, ``resource`` values replaced by ``R###`` pseudonyms, and ID or phone
    numbers inside other text columns masked with ``***``. See :func:`scrub_with_notes`.

    Parameters
    ----------
    df : DataFrame
        A frame, typically an event log.
    salt : str, default ""
        Salt for case-id pseudonyms.

    Returns
    -------
    DataFrame
        The scrubbed frame.
    """
    return scrub_with_notes(df, salt=salt)[0]
