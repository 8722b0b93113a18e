"""docs/rules.md stays true: every rule of the specification has a row, and every test it names exists.

A row for a rule not yet built says so ("not yet built") instead of naming a test.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RULES_MD = ROOT / "docs" / "rules.md"
SPEC = ROOT.parent / "shared" / "SPEC.md"
# a test function's name, not a test file's ("test_booking.py")
TEST_NAME = re.compile(r"(?<![\w.])(test_\w+)(?![\w.])")
RULE_ID = re.compile(r"\b(?:N-[QE]\d+|[QPESBX]-\d+)\b")


def _rows() -> dict[str, str]:
    rows = {}
    for line in RULES_MD.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and RULE_ID.fullmatch(cells[0].strip("*")):
            rows.setdefault(cells[0].strip("*"), "")
            rows[cells[0].strip("*")] += " " + " ".join(cells[1:])
    return rows


def _test_names() -> set[str]:
    names = set()
    for path in (ROOT / "tests").rglob("test_*.py"):
        names.update(re.findall(r"^\s*(?:async\s+)?def (test_\w+)", path.read_text(encoding="utf-8"), re.M))
    return names


def test_every_test_named_in_rules_md_exists():
    known = _test_names()
    missing = sorted({name for text in _rows().values() for name in TEST_NAME.findall(text)} - known)
    assert not missing, f"docs/rules.md names tests that do not exist: {missing}"


def test_every_row_names_a_test_or_says_not_built():
    bare = [rule for rule, text in _rows().items() if not TEST_NAME.search(text) and "not yet built" not in text]
    assert not bare, f"rows with neither a test nor 'not yet built': {bare}"


@pytest.mark.skipif(not SPEC.exists(), reason="the specification is not beside this checkout")
def test_every_spec_rule_has_a_row():
    spec_ids = set(RULE_ID.findall(SPEC.read_text(encoding="utf-8")))
    missing = sorted(spec_ids - set(_rows()))
    assert not missing, f"rules of the specification missing from docs/rules.md: {missing}"
