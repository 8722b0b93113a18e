"""Shared pieces of the benchmarks: a fresh PostgreSQL database, a gunicorn server, a load driver.

Benchmarks measure; they never assert. Each prints one JSON document and measures its baseline in
the same run, on the same machine, so the ratio is what to read, not the absolute figure.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432"
DEFAULT_REDIS = "redis://127.0.0.1:6379/7"


def bench_db(default: str) -> str:
    """The benchmark's database name: ``default`` unless BENCH_DB names another."""
    return os.environ.get("BENCH_DB", default)


def bench_env(db_name: str) -> dict[str, str]:
    """The environment of every process of a benchmark: its own database, Redis db, debug off."""
    base = os.environ.get("BENCH_PG", DEFAULT_PG).rstrip("/")
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"{base}/{db_name}",
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS),
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="bench-" + "x" * 60,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SETTINGS_MODULE=env.get("BENCH_SETTINGS", "bench.settings"),
        LOG_LEVEL="WARNING",
        SMS_BACKEND="database",
        # one token drives every client: its request budget must not be what is measured
        API_RATE_INTEGRATOR="1000000/min",
    )
    return env


def fresh_database(db_name: str) -> None:
    """Drop and create ``db_name`` on the benchmark's PostgreSQL server."""
    import psycopg

    base = os.environ.get("BENCH_PG", DEFAULT_PG).rstrip("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db_name}"')


def manage(env: dict, *args: str) -> str:
    out = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{out.stderr[-4000:]}")
    return out.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """gunicorn serving the project on a free loopback port, stopped on exit."""

    def __init__(
        self,
        env: dict,
        workers: int = 4,
        threads: int = 1,
        app: str = "bench.wsgi:application",
        python: str = sys.executable,
        config: str = "gunicorn.conf.py",
    ):
        self.port = free_port()
        self.proc = subprocess.Popen(
            [
                python,
                "-m",
                "gunicorn",
                app,
                "--config",
                config,
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--log-level",
                "warning",
                "--keep-alive",
                "30",
            ],
            cwd=ROOT,
            env=env,
            stdout=sys.stderr,  # the benchmark's stdout is its JSON alone
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=30)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


@dataclass
class Samples:
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    elapsed_s: float = 0.0

    def add(self, status: int, ms: float) -> None:
        self.latencies_ms.append(ms)
        self.statuses[status] = self.statuses.get(status, 0) + 1

    def summary(self, ok: tuple[int, ...] = (200, 201)) -> dict:
        lat = sorted(self.latencies_ms)
        n_ok = sum(v for k, v in self.statuses.items() if k in ok)
        return {
            "requests": len(lat),
            "ok": n_ok,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "per_second": round(n_ok / self.elapsed_s, 1) if self.elapsed_s else None,
            "p50_ms": round(percentile(lat, 50), 2) if lat else None,
            "p95_ms": round(percentile(lat, 95), 2) if lat else None,
            "mean_ms": round(statistics.fmean(lat), 2) if lat else None,
        }


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    k = (len(sorted_values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


class Client:
    """One keep-alive HTTP connection; JSON in, (status, JSON) out."""

    def __init__(self, base: str, headers: dict | None = None):
        u = urlparse(base)
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
        self.headers = {"Content-Type": "application/json", **(headers or {})}

    def request(
        self, method: str, path: str, body: dict | None = None, headers: dict | None = None
    ) -> tuple[int, object, float]:
        data = json.dumps(body).encode() if body is not None else None
        t0 = time.perf_counter()
        try:
            self.conn.request(method, path, body=data, headers={**self.headers, **(headers or {})})
            resp = self.conn.getresponse()
            raw = resp.read()
        except (ConnectionError, http.client.HTTPException):
            self.conn.close()
            return 599, None, (time.perf_counter() - t0) * 1000
        ms = (time.perf_counter() - t0) * 1000
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:
            payload = None
        return resp.status, payload, ms


def run_concurrently(workers: int, job: Callable[[int], None]) -> float:
    """Run ``job(i)`` for i in range(workers) on threads; returns the wall time in seconds."""
    threads = [threading.Thread(target=job, args=(i,)) for i in range(workers)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - t0


def row(measure: str, ours, baseline, target: str, met: bool | None, ratio: float | None = None) -> dict:
    """One line of the table ``run_all`` prints after the JSON: ``ratio`` is ours / baseline unless given."""
    if ratio is None and isinstance(ours, int | float) and isinstance(baseline, int | float) and baseline:
        ratio = ours / baseline
    return {
        "measure": measure,
        "ours": ours,
        "baseline": baseline,
        "ratio": round(ratio, 2) if ratio is not None else None,
        "target": target,
        "met": met,
    }


def print_table(rows: list[dict], out=None) -> None:
    """The rows as a plain text table a person can read."""
    out = out or sys.stdout
    head = ("measure", "ours", "baseline or peer", "ratio", "target", "met")
    cells = [
        (
            r["measure"],
            _cell(r["ours"]),
            _cell(r["baseline"]),
            _cell(r["ratio"]),
            r["target"],
            {True: "yes", False: "NO", None: "-"}[r["met"]],
        )
        for r in rows
    ]
    widths = [max(len(str(c[i])) for c in [head, *cells]) for i in range(len(head))]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    print(line.format(*head), file=out)
    print(line.format(*("-" * w for w in widths)), file=out)
    for c in cells:
        print(line.format(*c), file=out)


def _cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
