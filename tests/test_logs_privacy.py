"""Privacy: personal data never reaches the result; pseudonyms are stable."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from simhall.logs import looks_like_pii, pseudonymize, read_event_log, scrub
from simhall.logs.privacy import id_checksum_ok

DATA = Path(__file__).parent / "data"
SECRETS = ("张三", "李四", "110101199003074258", "11010519491231002X", "13812345678")


def _everything(result: object) -> str:
    r = result
    parts = [
        r.events.to_csv(),  # type: ignore[attr-defined]
        r.issues.to_csv(),  # type: ignore[attr-defined]
        " ".join(r.notes),  # type: ignore[attr-defined]
        repr(r.meta),  # type: ignore[attr-defined]
    ]
    return "\n".join(parts)


def test_personal_columns_never_loaded() -> None:
    r = read_event_log(DATA / "events_zh_utf8.csv", accept_activity="受理")
    text = _everything(r)
    for secret in SECRETS:
        assert secret not in text
    assert "身份证号" not in r.meta["columns"].values()


def test_looks_like_pii() -> None:
    assert looks_like_pii(pd.Series(["x"], name="申请人姓名"))
    assert looks_like_pii(pd.Series(["x"], name="联系电话"))
    assert looks_like_pii(pd.Series(["x"], name="Applicant"))
    assert looks_like_pii(pd.Series(["x"], name="id_card"))
    assert looks_like_pii(pd.Series(["110101199003074258"], name="v"))
    assert looks_like_pii(pd.Series(["call 13987654321"], name="v"))
    assert looks_like_pii(pd.Series(["010-62345678"], name="v"))
    assert not looks_like_pii(pd.Series(["9264148", "560464"], name="org:resource"))
    assert not looks_like_pii(pd.Series(["BJ2024000001", "0123456789"], name="case_id"))
    assert not looks_like_pii(pd.Series(["110101199003074257"], name="v"))  # bad checksum
    assert not looks_like_pii(pd.Series(["01_HOOFD_010"], name="concept:name"))
    assert id_checksum_ok("11010519491231002X")


def test_pseudonymize_stable_and_salted() -> None:
    ids = pd.Series(["a", "b", "a", None], name="case_id")
    first = pseudonymize(ids, "salt")
    assert first.tolist()[:3] == pseudonymize(ids, "salt").tolist()[:3]
    assert first[0] == first[2] and first[0] != first[1]
    assert first[0].startswith("C") and len(first[0]) == 11
    assert pd.isna(first[3])
    assert pseudonymize(ids, "other")[0] != first[0]


def test_scrub_drops_and_masks() -> None:
    df = pd.DataFrame(
        {
            "case_id": ["110101199003074258", "c2"],
            "activity": ["accept", "call 13812345678"],
            "resource": ["13900001111", "w2"],
            "申请人": ["张三", "李四"],
        }
    )
    out = scrub(df, salt="s")
    assert "申请人" not in out.columns
    assert out["case_id"][0].startswith("C") and out["case_id"][0] != "110101199003074258"
    assert list(out["resource"]) == ["R001", "R002"]
    assert list(out["activity"]) == ["accept", "call ***"]


def test_phone_like_resource_masked_in_reader(tmp_path: Path) -> None:
    path = tmp_path / "phones.csv"
    path.write_text(
        "办件编号,事项编码,环节名称,经办人,结束时间,手机号\n"
        "B1,I1,受理,13812345678,2024-03-04 09:00,13812345678\n"
        "B1,I1,办结,13987654321,2024-03-04 10:00,13987654321\n",
        encoding="utf-8",
    )
    r = read_event_log(path, accept_activity="受理")
    assert list(r.events["resource"]) == ["R001", "R002"]
    assert any(n.startswith("resource:") for n in r.notes)
    text = _everything(r)
    assert "13812345678" not in text and "13987654321" not in text
