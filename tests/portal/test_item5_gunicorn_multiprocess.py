"""The metrics' multiprocess mode under gunicorn (gunicorn.conf.py): a previous run's files are
removed at start, and an exited worker's live gauges are marked dead."""

from __future__ import annotations

import runpy
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[2]


def _hooks() -> dict:
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_item5_gunicorn_start_empties_the_multiprocess_directory(tmp_path, monkeypatch):
    directory = tmp_path / "prometheus"
    directory.mkdir()
    (directory / "histogram_4242.db").write_bytes(b"stale")
    (directory / "counter_4243.db").write_bytes(b"stale")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(directory))
    _hooks()["on_starting"](SimpleNamespace())
    assert list(directory.iterdir()) == []


def test_item5_gunicorn_start_creates_a_missing_multiprocess_directory(tmp_path, monkeypatch):
    directory = tmp_path / "absent"
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(directory))
    _hooks()["on_starting"](SimpleNamespace())
    assert directory.is_dir()


def test_item5_gunicorn_exited_worker_live_gauges_removed_its_histogram_kept(tmp_path, monkeypatch):
    (tmp_path / "gauge_livesum_4242.db").write_bytes(b"x")
    (tmp_path / "gauge_liveall_4242.db").write_bytes(b"x")
    (tmp_path / "histogram_4242.db").write_bytes(b"x")
    (tmp_path / "gauge_livesum_4243.db").write_bytes(b"x")  # another worker, still alive
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    _hooks()["child_exit"](SimpleNamespace(), SimpleNamespace(pid=4242))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gauge_livesum_4243.db", "histogram_4242.db"]


def test_item5_gunicorn_without_multiprocess_mode_touches_no_directory(tmp_path, monkeypatch):
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    (tmp_path / "histogram_4242.db").write_bytes(b"x")
    hooks = _hooks()
    hooks["on_starting"](SimpleNamespace())
    hooks["child_exit"](SimpleNamespace(), SimpleNamespace(pid=4242))
    assert [p.name for p in tmp_path.iterdir()] == ["histogram_4242.db"]
