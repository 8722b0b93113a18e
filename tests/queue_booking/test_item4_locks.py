"""Issue 8 point 4: every row lock of the queue lives in locks.py, each named in its documented order."""

import ast
from pathlib import Path

import queue_booking
from queue_booking import locks

APP = Path(queue_booking.__file__).resolve().parent
LOCKS_SOURCE = Path(locks.__file__).read_text()


def _lock_functions() -> dict[str, str]:
    """Public functions of locks.py and their source."""
    tree = ast.parse(LOCKS_SOURCE)
    return {
        node.name: ast.get_source_segment(LOCKS_SOURCE, node)
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
    }


def test_item4_no_select_for_update_outside_locks_py():
    offenders = [
        str(path.relative_to(APP))
        for path in APP.rglob("*.py")
        if path.name != "locks.py" and "migrations" not in path.parts and "select_for_update" in path.read_text()
    ]
    assert offenders == []


def test_item4_every_lock_is_named_in_the_documented_order():
    functions = _lock_functions()
    assert "slots_of_days_for_update" in functions
    undocumented = [name for name in functions if f"``{name}``" not in locks.__doc__]
    assert undocumented == []


def test_item4_skip_locked_only_in_the_documented_exception():
    skipping = [name for name, source in _lock_functions().items() if "skip_locked=True" in source]
    assert skipping == ["free_slots_skip_locked"]
    order, exception = locks.__doc__.split("The one exception", 1)
    assert "``free_slots_skip_locked``" in exception
    assert "``free_slots_skip_locked``" not in order


def test_item4_notifications_lock_rows_only_in_its_locks_py():
    import notifications
    from notifications import locks as notification_locks

    app = Path(notifications.__file__).resolve().parent
    offenders = [
        str(path.relative_to(app))
        for path in app.rglob("*.py")
        if path.name != "locks.py" and "migrations" not in path.parts and "select_for_update" in path.read_text()
    ]
    assert offenders == []
    # the one SKIP LOCKED lock is the documented exception
    assert "``stale_sending_skip_locked``" in notification_locks.__doc__
