"""Types: mypy checks the code in CI; the apps and core packages written since are strict.

``make typecheck`` runs mypy with the configuration in pyproject.toml. These tests keep that
configuration honest: a new app or core package cannot join the gradual majority unnoticed.
"""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# What `mypy --strict` turns on, as per-module options (``strict`` itself is global only).
STRICT_FLAGS = {
    "disallow_any_generics": True,
    "disallow_subclassing_any": True,
    "disallow_untyped_calls": True,
    "disallow_untyped_defs": True,
    "disallow_incomplete_defs": True,
    "check_untyped_defs": True,
    "disallow_untyped_decorators": True,
    "warn_return_any": True,
    "warn_unused_ignores": True,
    "implicit_reexport": False,
    "strict_equality": True,
    "extra_checks": True,
}
# Written before types came in: checked gradually (unannotated functions are not checked).
GRADUAL_APPS = {"portal", "queue_booking", "notifications"}
GRADUAL_CORE_PACKAGES = {"accounts", "consent", "formats", "management", "people", "referrals", "territory", "workcal"}


def _mypy() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]


def _strict_modules() -> set[str]:
    modules: set[str] = set()
    for override in _mypy()["overrides"]:
        if all(override.get(flag) == value for flag, value in STRICT_FLAGS.items()):
            modules.update(override["module"])
    return modules


def _apps() -> set[str]:
    return {path.parent.name for path in ROOT.glob("*/apps.py")}


def _core_packages() -> set[str]:
    return {path.parent.name for path in (ROOT / "portal").glob("*/__init__.py")}


def test_item6_the_new_apps_are_type_checked_strictly():
    strict = _strict_modules()
    for module in ("mse_pilot.*", "expert_registry.*", "benefits.*", "portal.accesslog.*"):
        assert module in strict


def test_item6_every_app_and_core_package_after_types_is_strict():
    strict = _strict_modules()
    for app in _apps() - GRADUAL_APPS:
        assert f"{app}.*" in strict, f"the app {app} is not in the strict mypy override of pyproject.toml"
        assert app in _mypy()["files"], f"mypy does not check the app {app}: add it to [tool.mypy] files"
    for package in _core_packages() - GRADUAL_CORE_PACKAGES:
        assert f"portal.{package}.*" in strict, f"portal/{package} is not in the strict mypy override of pyproject.toml"


def test_item6_known_errors_are_never_silenced_in_strict_code():
    strict = {module.removesuffix(".*") for module in _strict_modules()}
    for override in _mypy()["overrides"]:
        if "disable_error_code" in override or override.get("ignore_errors"):
            for module in override["module"]:
                assert not any(module == s or module.startswith(f"{s}.") for s in strict), module


def test_item6_mypy_knows_django_and_drf():
    config = _mypy()
    assert config["plugins"] == ["mypy_django_plugin.main", "mypy_drf_plugin.main"]
    assert tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["django-stubs"] == {
        "django_settings_module": "tests.settings"
    }
