"""The tests run from any checkout: they read nothing outside the repository (seed pages are copied
into tests/seeds)."""
from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
_ABSOLUTE = re.compile(r"""["'](/work|/tmp|/home|/root|/farm|/usr)/""")
_PARENTS = re.compile(r"Path\(__file__\)\.resolve\(\)\.parents\[(\d+)\]")


def test_no_test_names_an_absolute_path() -> None:
    found = [f"{p.relative_to(REPO)}:{n}" for p in REPO.joinpath("tests").rglob("*.py")
             for n, line in enumerate(p.read_text("utf-8").splitlines(), 1) if _ABSOLUTE.search(line)]
    assert found == []


def test_no_test_climbs_out_of_the_repository() -> None:
    found = []
    for path in REPO.joinpath("tests").rglob("*.py"):
        for match in _PARENTS.finditer(path.read_text("utf-8")):
            target = path.resolve().parents[int(match.group(1))]
            if not target.is_relative_to(REPO):
                found.append(f"{path.relative_to(REPO)}: parents[{match.group(1)}] is {target}")
    assert found == []


def test_the_seed_copies_are_in_the_repository() -> None:
    names = sorted(p.name[:3] for p in REPO.joinpath("tests", "seeds").glob("*.txt"))
    assert names == ["000", "004"]
