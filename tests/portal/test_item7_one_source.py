"""Dead and copied code out: one copy of the person-unknown message, no unused template key class."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("portal", "queue_booking", "notifications", "mse_pilot", "expert_registry", "benefits")


def _sources():
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path, path.read_text(encoding="utf-8")


def test_item7_the_person_unknown_message_is_written_once():
    # declared (as a translatable string) once; the API schema's examples may quote it
    declared = re.compile(r'_\(\s*"No person with this IIN is registered\."')
    places = [p.relative_to(ROOT).as_posix() for p, text in _sources() if declared.search(text)]
    assert places == ["portal/people/errors.py"]


def test_item7_no_template_key_class_and_no_raw_template_key_at_notify_calls():
    assert not [p for p, text in _sources() if "class TemplateKey" in text]
    assert not [p.relative_to(ROOT).as_posix() for p, text in _sources() if 'template="' in text]
