"""Which way imports point (docs/architecture.md, "Which way dependencies point").

Every ``.py`` of the core and of each app is parsed with ``ast``; the test fails when

- the core (``portal/**``) imports an app, or
- an app imports another app's anything but its public doors: ``<app>.services``,
  ``<app>.selectors`` and ``<app>.signals`` (never its models, locks, tasks or private modules).

Imports inside functions count as much as those at the top of a module. A string naming an app
(``include("queue_booking.urls")``, ``INSTALLED_APPS``) is not an import.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORE = "portal"
APPS = ("queue_booking", "notifications", "mse_pilot", "expert_registry", "benefits")
# What one app may import of another.
PUBLIC = ("services", "selectors", "signals")
# Imports that break the rule on purpose, each with its reason: (importing module, imported name as
# ``_imported`` gives it) -> why. None today.
EXCEPTIONS: dict[tuple[str, str], str] = {}


def _imported(tree: ast.AST) -> list[str]:
    """Every module a file imports, as dotted names (``from a import b`` gives ``a.b``, as ``b`` may be a module)."""
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def _owner(module: str) -> str:
    return module.split(".")[0]


def violations(owner: str, source: str, module: str = "") -> list[str]:
    """The imports of one file of ``owner`` (``portal`` or an app) that break the rule."""
    found = []
    for name in _imported(ast.parse(source)):
        target = _owner(name)
        if target == owner or target not in APPS:
            continue
        if owner == CORE:
            found.append(f"{module}: the core imports the app module {name}")
            continue
        parts = name.split(".")
        # ``from other_app import services`` gives other_app.services; ``from other_app.services.x import y``
        # reaches into a private module of the package.
        if len(parts) >= 2 and parts[1] in PUBLIC and (len(parts) == 2 or _is_name_of(parts[1], name)):
            continue
        if (module, name) in EXCEPTIONS:
            continue
        found.append(f"{module}: {owner} imports {name} (only {target}.services/selectors/signals)")
    return found


def _is_name_of(door: str, name: str) -> bool:
    """``other_app.services.booking_create``: a name taken from the door itself, not a submodule of it."""
    parts = name.split(".")
    return len(parts) == 3 and not (ROOT / parts[0] / door / f"{parts[2]}.py").exists()


def _files(owner: str):
    for path in sorted((ROOT / owner).rglob("*.py")):
        yield path, ".".join(path.relative_to(ROOT).with_suffix("").parts)


def test_import_boundaries_the_core_imports_no_app():
    found = [v for path, module in _files(CORE) for v in violations(CORE, path.read_text(encoding="utf-8"), module)]
    assert not found, "\n".join(found)


def test_import_boundaries_apps_reach_each_other_only_through_services_selectors_and_signals():
    found = [
        v
        for app in APPS
        for path, module in _files(app)
        for v in violations(app, path.read_text(encoding="utf-8"), module)
    ]
    assert not found, "\n".join(found)


def test_import_boundaries_the_checker_fails_on_a_core_import_of_an_app():
    source = "def f():\n    from queue_booking.models import Booking\n"
    assert violations("portal", source, "portal.x") == [
        "portal.x: the core imports the app module queue_booking.models.Booking"
    ]
    assert violations("portal", "import notifications.tasks\n", "portal.y") == [
        "portal.y: the core imports the app module notifications.tasks"
    ]


def test_import_boundaries_the_checker_fails_on_an_app_reaching_into_another_apps_models():
    bad = (
        "from queue_booking.models import Booking\n"
        "from queue_booking import locks\n"
        "from queue_booking.services.desk import late_after\n"
    )
    assert violations("benefits", bad, "benefits.services") == [
        "benefits.services: benefits imports queue_booking.models.Booking "
        "(only queue_booking.services/selectors/signals)",
        "benefits.services: benefits imports queue_booking.locks (only queue_booking.services/selectors/signals)",
        "benefits.services: benefits imports queue_booking.services.desk.late_after "
        "(only queue_booking.services/selectors/signals)",
    ]


def test_import_boundaries_the_checker_lets_apps_use_services_selectors_signals_and_the_core():
    good = (
        "from queue_booking import services, selectors\n"
        "from queue_booking.services import booking_create\n"
        "from notifications.services import template_seed\n"
        "import notifications.signals\n"
        "from portal.accounts.decorators import citizen_required\n"
        "from benefits.models import Application\n"
    )
    assert violations("benefits", good, "benefits.views") == []
