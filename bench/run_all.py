"""Run every benchmark and print one JSON document with all their results.

Needs PostgreSQL and Redis (BENCH_PG, default postgres://postgres@127.0.0.1:5432; BENCH_REDIS_URL,
default redis://127.0.0.1:6379/7). Each benchmark measures its own baseline in the same run.
After the JSON, one table: measure, ours, baseline or peer, ratio, target, met.
"""

import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import print_table

HERE = Path(__file__).resolve().parent
BENCHMARKS = [
    "bench_booking.py",
    "bench_notifications.py",
    "bench_benefits_payments.py",
    "bench_expert_evaluation.py",
    "bench_pilot_distribution.py",
    "bench_reports.py",
    "fault_runs.py",
]


def main() -> int:
    results, failed = {}, 0
    for name in BENCHMARKS:
        path = HERE / name
        if not path.exists():
            continue
        run = subprocess.run([sys.executable, str(path)], cwd=HERE.parent, capture_output=True, text=True, check=False)
        out = run.stdout
        start = out.find("{")
        try:
            results[name] = json.loads(out[start:]) if start >= 0 else {"error": run.stderr[-2000:]}
        except ValueError:
            results[name] = {"error": "unreadable output", "stdout": out[-2000:], "stderr": run.stderr[-2000:]}
        failed += run.returncode != 0
    print(json.dumps(results, indent=2))
    rows = [row for result in results.values() if isinstance(result, dict) for row in result.get("table", [])]
    if rows:
        print()
        print_table(rows)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
