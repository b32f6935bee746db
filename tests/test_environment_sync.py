"""pyproject.toml and environment.yml must name the same packages.

pip users install from ``pyproject.toml`` (``make``), conda users from ``environment.yml``.
Both lists are kept by hand, so this test fails as soon as a package is added to one and
forgotten in the other. Names are compared after PEP 503-style normalisation (lowercase,
``_`` and ``.`` as ``-``); ``python``, ``pip`` and the editable install ``-e .`` are ignored.
Where both files give a version bound, the bounds must agree too.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
IGNORED = {"python", "pip"}
_REQ = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*([^;#]*)")


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def split_requirement(req: str) -> tuple[str, str]:
    """``"tomli_w >= 1.0 ; python_version<'4'"`` -> ``("tomli-w", ">=1.0")``."""
    m = _REQ.match(req)
    if m is None:
        raise ValueError(f"cannot parse requirement {req!r}")
    return normalize(m.group(1)), re.sub(r"\s+", "", m.group(2))


def pyproject_requirements(path: Path) -> dict[str, str]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    project = data["project"]
    reqs = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        reqs.extend(extra)
    out: dict[str, str] = {}
    for req in reqs:
        name, spec = split_requirement(req)
        if name not in IGNORED:
            out[name] = spec
    return out


def environment_requirements(text: str) -> dict[str, str]:
    """Packages listed under ``dependencies:`` (and its nested ``pip:`` list).

    Handles the simple YAML subset of environment files: ``key:`` lines and ``- item``
    list entries, ``#`` comments. Conda specs ``numpy>=1.26`` and ``numpy >=1.26`` and
    ``conda-forge::numpy`` are understood.
    """
    out: dict[str, str] = {}
    in_deps = False
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        stripped = line.strip()
        if indent == 0:
            in_deps = stripped == "dependencies:"
            continue
        if not in_deps or not stripped.startswith("- "):
            continue
        item = stripped[2:].strip().strip("'\"")
        if item.endswith(":"):  # "- pip:" opens the nested pip list
            continue
        if item.startswith("-"):  # pip options such as "-e ." or "--extra-index-url"
            continue
        item = item.split("::", 1)[-1]  # channel prefix
        name, spec = split_requirement(item)
        if name not in IGNORED:
            out[name] = spec
    return out


def test_environment_parser_reads_nested_pip_section() -> None:
    text = (
        "name: x\nchannels:\n  - conda-forge\ndependencies:\n  - python>=3.11\n  - pip\n"
        "  - numpy >=1.26  # comment\n  - conda-forge::Pandas_Stubs\n  - pip:\n"
        "      - tomli_w>=1.0\n      - -e .\n"
    )
    assert environment_requirements(text) == {
        "numpy": ">=1.26",
        "pandas-stubs": "",
        "tomli-w": ">=1.0",
    }


def test_same_package_names() -> None:
    pip_side = pyproject_requirements(ROOT / "pyproject.toml")
    conda_side = environment_requirements((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert pip_side, "no dependencies found in pyproject.toml"
    only_pyproject = sorted(set(pip_side) - set(conda_side))
    only_environment = sorted(set(conda_side) - set(pip_side))
    assert not only_pyproject and not only_environment, (
        f"missing from environment.yml: {only_pyproject}; "
        f"missing from pyproject.toml: {only_environment}"
    )


def test_same_version_bounds() -> None:
    pip_side = pyproject_requirements(ROOT / "pyproject.toml")
    conda_side = environment_requirements((ROOT / "environment.yml").read_text(encoding="utf-8"))
    differ = {
        name: (pip_side[name], conda_side[name])
        for name in set(pip_side) & set(conda_side)
        if pip_side[name] and conda_side[name] and pip_side[name] != conda_side[name]
    }
    assert not differ, f"version bounds differ (pyproject, environment.yml): {differ}"


@pytest.mark.parametrize("missing", ["numpy", "chinesecalendar", "nbval"])
def test_sync_check_can_fail(missing: str) -> None:
    """Dropping one package from the environment file is detected."""
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    kept = "\n".join(
        line for line in text.splitlines() if not re.match(rf"\s*-\s*{missing}\b", line)
    )
    assert missing not in environment_requirements(kept)
    assert missing in pyproject_requirements(ROOT / "pyproject.toml")


def test_constraints_pin_versions_the_project_accepts() -> None:
    """constraints.txt (used by make) pins exact versions; each must meet pyproject's bound."""
    from packaging.specifiers import SpecifierSet

    declared = pyproject_requirements(ROOT / "pyproject.toml")
    lines = (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
    pins = [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
    assert pins
    for pin in pins:
        name, _, version = pin.partition("==")
        assert version, f"constraints.txt: {pin!r} is not an exact pin name==version"
        spec = declared.get(normalize(name), "")
        assert version in SpecifierSet(spec), f"{pin} does not satisfy pyproject's {spec!r}"
