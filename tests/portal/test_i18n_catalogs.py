"""X-1: every user-facing string has its Kazakh and Russian text (the English source is the msgid)."""

from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def _entries(po: Path) -> list[dict]:
    """The catalog's entries: msgid, translations and flags (a small reader of the .po format)."""
    entries, current, key = [], None, None
    for raw in [*po.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if current is not None:
                entries.append(current)
            current, key = None, None
            continue
        current = current or {"flags": "", "msgid": "", "msgstr": []}
        if line.startswith("#,"):
            current["flags"] += line
        elif line.startswith("#~"):
            current["obsolete"] = True
        elif line.startswith("#"):
            continue
        elif line.startswith("msgid "):
            key, current["msgid"] = "msgid", line[6:].strip('"')
        elif line.startswith("msgid_plural "):
            key = "plural"
        elif line.startswith("msgstr"):
            key = "msgstr"
            current["msgstr"].append(line.split(" ", 1)[1].strip('"'))
        elif line.startswith('"'):
            if key == "msgid":
                current["msgid"] += line.strip('"')
            elif key == "msgstr":
                current["msgstr"][-1] += line.strip('"')
    return [e for e in entries if e["msgid"] and not e.get("obsolete")]


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_x1_kk_and_ru_catalogs_are_complete(language):
    entries = _entries(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert len(entries) > 400  # the reader found the catalog, not an empty file
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"])]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []
