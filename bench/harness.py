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


# --- wrk: a load generator in C, for the measures where the Python driver's own CPU counts -------

WRK_SCRIPT = """
local reqs = {%s}
local n = #reqs
local i = 0
statuses = {}  -- global: done() reads it from each thread
local threads = {}

function setup(thread)
  thread:set("offset", #threads * 7919)
  table.insert(threads, thread)
end

function init(args)
  i = offset
  statuses = {}
end

function request()
  i = i + 1
  local r = reqs[(i %% n) + 1]
  return wrk.format(r[1], r[2], r[3])
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local merged = {}
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    for k, v in pairs(s) do merged[k] = (merged[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(merged) do table.insert(parts, string.format('"%%d": %%d', k, v)) end
  io.write(string.format(
    'WRK_RESULT={"requests": %%d, "duration_us": %%d, "socket_errors": %%d, "statuses": {%%s}, ' ..
    '"p50_us": %%d, "p95_us": %%d, "mean_us": %%f}\\n',
    summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    table.concat(parts, ", "), latency:percentile(50), latency:percentile(95), latency.mean))
end
"""


def wrk_available() -> bool:
    import shutil

    return shutil.which("wrk") is not None


def _lua(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def wrk_measure(
    base: str,
    headers: dict,
    requests: list[tuple[str, dict]],
    clients: int,
    seconds: float = 5.0,
    threads: int = 2,
    method: str = "GET",
) -> dict:
    """``clients`` keep-alive connections driven by wrk for ``seconds``, cycling through ``requests``
    (path, extra headers); the same summary as ``Samples.summary``. The statuses are counted by
    the script; wrk's latency histogram gives p50/p95."""
    import tempfile

    entries = []
    for path, extra in requests:
        hdrs = ", ".join(f"[{_lua(k)}] = {_lua(v)}" for k, v in {**headers, **extra}.items())
        entries.append(f"{{{_lua(method)}, {_lua(path)}, {{{hdrs}}}}}")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(WRK_SCRIPT % ",\n".join(entries))
        script = f.name
    try:
        out = subprocess.run(
            [
                "wrk",
                f"-t{min(threads, clients)}",
                f"-c{clients}",
                f"-d{max(1, round(seconds))}s",
                "--timeout",
                "30s",
                "-s",
                script,
                base,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script)
    line = next(line for line in out.splitlines() if line.startswith("WRK_RESULT="))
    raw = json.loads(line.split("=", 1)[1])
    elapsed = raw["duration_us"] / 1e6
    n_ok = raw["statuses"].get("200", 0) + raw["statuses"].get("201", 0)
    return {
        "driver": "wrk",
        "requests": raw["requests"],
        "ok": n_ok,
        "statuses": dict(sorted(raw["statuses"].items())),
        "socket_errors": raw["socket_errors"],
        "per_second": round(n_ok / elapsed, 1) if elapsed else None,
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p95_ms": round(raw["p95_us"] / 1000, 2),
        "mean_ms": round(raw["mean_us"] / 1000, 2),
    }


def median_of(runs: list[dict]) -> dict:
    """One summary from alternating runs: the median of each figure, the runs kept as they were."""
    keys = ("per_second", "p50_ms", "p95_ms", "mean_ms")
    out: dict = {
        k: round(statistics.median(r[k] for r in runs if r.get(k) is not None), 2)
        for k in keys
        if any(r.get(k) is not None for r in runs)
    }
    out["requests"] = sum(r["requests"] for r in runs)
    out["ok"] = sum(r["ok"] for r in runs)
    statuses: dict[str, int] = {}
    for r in runs:
        for k, v in r["statuses"].items():
            statuses[k] = statuses.get(k, 0) + v
    out["statuses"] = statuses
    out["runs"] = [{k: r.get(k) for k in ("per_second", "p95_ms", "driver_cpu_cores")} for r in runs]
    return out
