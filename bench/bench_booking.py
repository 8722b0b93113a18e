"""Booking API under concurrent clients on PostgreSQL + gunicorn, against a minimal baseline view.

Measures, in one run and on one machine:
- availability: p50/p95 latency of GET /api/v1/queue/referrals/<id>/availability/ for a department
  with a full year (and more) of schedule, and of a minimal view doing the same queries;
- booking: bookings per second and p50/p95 latency of POST /api/v1/queue/bookings/create/ with many
  concurrent clients, against the baseline, a minimal view doing the same database work statement
  for statement (``bench/baseline.py::book_same_work``), and, for scale, the bare minimum of a
  booking (lock the slot, take a ticket number, insert the booking: ``baseline.py::book``).
Prints one JSON document. Targets (read, not asserted): booking throughput >= 60% of the
baseline; availability p95 < 50 ms.

    python bench/bench_booking.py [--clients 16] [--per-client 25] [--capacity 10]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import (
    Client,
    Gunicorn,
    Samples,
    bench_db,
    bench_env,
    fresh_database,
    manage,
    median_of,
    row,
    run_concurrently,
    wrk_available,
    wrk_measure,
)

DB = bench_db("portal_bench_queue")


def seed(env: dict, n: int, capacity: int, last_place: int) -> dict:
    import subprocess

    out = subprocess.run(
        [sys.executable, "-m", "bench.seed_queue", str(n), str(capacity), str(last_place)],
        cwd=Path(__file__).resolve().parents[1],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("BENCH_SEED="))
    return json.loads(line.split("=", 1)[1])


def as_citizen(iin: str) -> dict:
    """The header an integrator names the citizen in (never the URL)."""
    return {"X-Citizen-IIN": iin}


def measure_availability(base: str, headers: dict, paths: list[tuple[str, dict]], clients: int, rounds: int) -> dict:
    samples, lock = Samples(), threading.Lock()

    def job(i: int) -> None:
        c = Client(base, headers)
        for r in range(rounds):
            path, extra = paths[(i * rounds + r) % len(paths)]
            status, _payload, ms = c.request("GET", path, headers=extra)
            with lock:
                samples.add(status, ms)

    cpu0 = time.process_time()
    samples.elapsed_s = run_concurrently(clients, job)
    summary = samples.summary()
    # the load driver's own CPU (cores): on a small machine it competes with the server it measures
    summary["driver_cpu_cores"] = round((time.process_time() - cpu0) / samples.elapsed_s, 2)
    summary["driver"] = "python"
    return summary


def slot_pool(base: str, headers: dict, availability_path: str, want: int) -> list[int]:
    """Free slot ids of the first free days (read before the clock starts)."""
    c = Client(base, headers)
    _s, payload, _ms = c.request("GET", availability_path)
    ids: list[int] = []
    for day in payload["dates"]:
        _s, day_payload, _ms = c.request("GET", f"{availability_path}?date={day}")
        for slot in day_payload.get("slots", []):
            ids.extend([slot["id"]] * slot["free"])
        if len(ids) >= want:
            break
    return ids


def measure_booking(base: str, headers: dict, path: str, bodies: list[tuple[dict, dict]], clients: int) -> dict:
    samples, lock = Samples(), threading.Lock()
    per = len(bodies) // clients

    def job(i: int) -> None:
        c = Client(base, headers)
        for body, extra in bodies[i * per : (i + 1) * per]:
            status, _payload, ms = c.request("POST", path, body, headers=extra)
            with lock:
                samples.add(status, ms)

    cpu0 = time.process_time()
    samples.elapsed_s = run_concurrently(clients, job)
    summary = samples.summary(ok=(201,))
    summary["driver_cpu_cores"] = round((time.process_time() - cpu0) / samples.elapsed_s, 2)
    return summary


PEER_PYTHON = Path(os.environ.get("BENCH_PEER_PYTHON", Path(__file__).resolve().parent / ".peer-venv/bin/python"))
PEER_DB = os.environ.get("BENCH_PEER_DB", "portal_bench_peer")


def start_peer(workers: int) -> tuple[Gunicorn | None, dict | str]:
    """django-appointment 3.12 on its own database, from its own environment (requirements-peer.txt).

    Returns (server, seed) or (None, why not).
    """
    import subprocess

    if not PEER_PYTHON.exists():
        return None, f"no peer environment: python3 -m venv bench/.peer-venv && {PEER_HINT}"
    env = bench_env(PEER_DB)
    env.update(
        PEER_DATABASE_URL=env["DATABASE_URL"], DJANGO_SETTINGS_MODULE="bench.peer.settings", PYTHONPATH=str(ROOT)
    )
    fresh_database(PEER_DB)
    root = Path(__file__).resolve().parents[1]
    # the package ships no migrations: its tables come from --run-syncdb, after Django's own
    for extra in ([], ["--run-syncdb"]):
        run = subprocess.run(
            [str(PEER_PYTHON), "-m", "django", "migrate", *extra, "--noinput", "-v0"],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
        )
        if run.returncode:
            return None, "peer migrate failed: " + run.stderr[-1000:]
    out = subprocess.run(
        [str(PEER_PYTHON), "-m", "bench.peer.seed"], cwd=root, env=env, capture_output=True, text=True, check=True
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("PEER_SEED="))
    server = Gunicorn(
        env,
        workers=workers,
        app="bench.peer.wsgi:application",
        python=str(PEER_PYTHON),
        config="bench/peer/gunicorn.conf.py",
    )
    return server, json.loads(line.split("=", 1)[1])


PEER_HINT = "bench/.peer-venv/bin/pip install -r bench/requirements-peer.txt"
ROOT = Path(__file__).resolve().parents[1]


def measure_last_place(base: str, auth: dict, dept: dict, dsn: str, slot_id: int) -> dict:
    """Every client at once on a slot with one place left: exactly one booking, the rest ``slot_full``.

    The slot's other places are taken beforehand (its count set to capacity - 1); each client books
    its own referral. Overbookings (bookings past the slot's capacity) are counted in the database.
    """
    import psycopg

    referrals = dept["referrals"]
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("UPDATE queue_booking_slot SET booked = capacity - 1 WHERE id = %s", [slot_id])
        (before,) = conn.execute("SELECT count(*) FROM queue_booking_booking WHERE slot_id = %s", [slot_id]).fetchone()
    barrier = threading.Barrier(len(referrals))
    samples, lock = Samples(), threading.Lock()
    codes: dict[str, int] = {}

    def job(i: int) -> None:
        r = referrals[i]
        c = Client(base, {**auth, **as_citizen(r["iin"])})
        c.request("GET", "/healthz")  # the connection is open before the race starts
        barrier.wait()
        status, payload, ms = c.request(
            "POST", "/api/v1/queue/bookings/create/", {"referral_id": r["id"], "slot_id": slot_id}
        )
        code = "booked" if status == 201 else ((payload or {}).get("errors") or [{}])[0].get("code", str(status))
        with lock:
            samples.add(status, ms)
            codes[code] = codes.get(code, 0) + 1

    samples.elapsed_s = run_concurrently(len(referrals), job)
    with psycopg.connect(dsn, autocommit=True) as conn:
        booked, capacity = conn.execute(
            "SELECT booked, capacity FROM queue_booking_slot WHERE id = %s", [slot_id]
        ).fetchone()
        (after,) = conn.execute(
            "SELECT count(*) FROM queue_booking_booking WHERE slot_id = %s AND status = 'booked'", [slot_id]
        ).fetchone()
    made = after - before
    return {
        "clients": len(referrals),
        "answers": codes,
        "bookings_made": made,
        "slot_booked_after": booked,
        "slot_capacity": capacity,
        # one place was free: every booking past the first is an overbooking
        "overbookings": max(0, made - 1) + max(0, booked - capacity),
        "latency": samples.summary(ok=(201, 409)),
    }


def booking_summary(booking: dict, args, n: int) -> dict:
    """The booking measures and their ratios alone (``--booking-only``)."""
    rate = booking["api"]["per_second"]
    ratios = {
        key: round(rate / booking[key]["per_second"], 3) if booking[key]["per_second"] else None
        for key in ("baseline", "bare_minimum")
    }
    return {
        "benchmark": "queue_booking (booking only)",
        "clients": args.clients,
        "bookings_attempted": n,
        "gunicorn_workers": args.workers,
        "rounds": args.rounds,
        "booking": booking,
        "booking_throughput_vs_baseline": ratios["baseline"],
        "booking_throughput_vs_bare_minimum": ratios["bare_minimum"],
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--per-client", type=int, default=25)
    ap.add_argument("--capacity", type=int, default=10, help="people per slot in the bench departments")
    ap.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    ap.add_argument("--last-place-clients", type=int, default=64, help="clients racing for one last place")
    ap.add_argument("--rounds", type=int, default=3, help="alternating rounds of ours and the peer's (medians)")
    ap.add_argument("--wrk-seconds", type=float, default=4.0, help="length of one wrk measure")
    ap.add_argument("--no-wrk", action="store_true", help="the Python load driver only")
    ap.add_argument(
        "--booking-only", action="store_true", help="the booking measures alone (no availability, peer or last place)"
    )
    args = ap.parse_args()
    n = args.clients * args.per_client

    env = bench_env(DB)
    fresh_database(DB)
    manage(env, "migrate", "--noinput", "-v0")
    data = seed(env, n, args.capacity, args.last_place_clients)
    auth = {"Authorization": f"Token {data['token']}"}
    api, base_dept = data["departments"]["api"], data["departments"]["baseline"]
    same_dept = data["departments"]["same_work"]
    last_dept = data["departments"]["last_place"]

    with Gunicorn(env, workers=args.workers) as server:
        # warm up every worker's connections and caches
        warm = Client(server.base, auth)
        for _ in range(args.workers * 4):
            warm.request(
                "GET",
                f"/api/v1/queue/referrals/{api['referrals'][0]['id']}/availability/",
                headers=as_citizen(api["referrals"][0]["iin"]),
            )
            warm.request("GET", f"/bench/baseline/availability/{base_dept['referrals'][0]['id']}/")

        availability: dict = {}
        if not args.booking_only:
            api_avail_paths = [
                (f"/api/v1/queue/referrals/{r['id']}/availability/", as_citizen(r["iin"])) for r in api["referrals"]
            ]
            base_avail_paths = [(f"/bench/baseline/availability/{r['id']}/", {}) for r in base_dept["referrals"]]
            # the fresh checks alone, on the same referrals as the API (nothing is booked meanwhile)
            fresh_paths = [(f"/api/v1/bench/fresh-checks/{r['id']}/", as_citizen(r["iin"])) for r in api["referrals"]]
            first = api["referrals"][0]
            _s, dates_payload, _ms = Client(server.base, {**auth, **as_citizen(first["iin"])}).request(
                "GET", f"/api/v1/queue/referrals/{first['id']}/availability/"
            )
            day = dates_payload["dates"][0]  # the first day with a free place: both answer its times
            api_day_paths = [(f"{path}?date={day}", extra) for path, extra in api_avail_paths]
            peer, peer_seed = start_peer(args.workers)
            one, many = args.per_client * 4, args.per_client
            availability.update(day=day)
            peer_paths: list[tuple[str, dict]] = []
            if peer is None:
                availability["peer"] = {"unavailable": peer_seed}
            else:
                peer.__enter__()
                query = f"selected_date={day}&staff_member={peer_seed['staff_member']}"
                # the package answers its own page's AJAX calls only
                peer_paths = [(f"/appointment/ajax/available_slots/?{query}", {"X-Requested-With": "XMLHttpRequest"})]
                measure_availability(peer.base, {}, peer_paths, 1, args.workers * 4)  # warm up
            use_wrk = wrk_available() and not args.no_wrk
            # Ours and the peer alternate, round after round, and each figure is the median of its rounds:
            # a change of load on the machine during the run weighs on both sides alike.
            runs: dict[str, list[dict]] = {}

            def measure(key: str, fn, *a) -> None:
                runs.setdefault(key, []).append(fn(*a))

            try:
                for _round in range(args.rounds):
                    # one client at a time: the latency a citizen sees on an idle server
                    measure("api_one_client", measure_availability, server.base, auth, api_avail_paths, 1, one)
                    if peer is not None:
                        measure("peer_one_client", measure_availability, peer.base, {}, peer_paths, 1, one)
                    measure("api_day_one_client", measure_availability, server.base, auth, api_day_paths, 1, one)
                    measure("baseline_one_client", measure_availability, server.base, {}, base_avail_paths, 1, one)
                    # every client at once: latency under load (2 cores serve all of them)
                    measure("api", measure_availability, server.base, auth, api_avail_paths, args.clients, many)
                    if peer is not None:
                        measure("peer", measure_availability, peer.base, {}, peer_paths, args.clients, many)
                    measure("api_day", measure_availability, server.base, auth, api_day_paths, args.clients, many)
                    measure("baseline", measure_availability, server.base, {}, base_avail_paths, args.clients, many)
                    measure("fresh_checks", measure_availability, server.base, auth, fresh_paths, args.clients, many)
                    if use_wrk:
                        # the same requests from a load generator in C, whose own CPU is a small share
                        measure(
                            "wrk_api", wrk_measure, server.base, auth, api_avail_paths, args.clients, args.wrk_seconds
                        )
                        if peer is not None:
                            measure("wrk_peer", wrk_measure, peer.base, {}, peer_paths, args.clients, args.wrk_seconds)
                        measure(
                            "wrk_api_day", wrk_measure, server.base, auth, api_day_paths, args.clients, args.wrk_seconds
                        )
                        measure(
                            "wrk_baseline",
                            wrk_measure,
                            server.base,
                            {},
                            base_avail_paths,
                            args.clients,
                            args.wrk_seconds,
                        )
                        measure(
                            "wrk_fresh_checks",
                            wrk_measure,
                            server.base,
                            auth,
                            fresh_paths,
                            args.clients,
                            args.wrk_seconds,
                        )
            finally:
                if peer is not None:
                    peer.__exit__(None, None, None)
            for key, got in runs.items():
                if key.startswith("wrk_"):
                    availability.setdefault("wrk", {})[key[4:]] = median_of(got)
                else:
                    availability[key] = median_of(got)

        def pool_of(dept: dict) -> list[int]:
            first = dept["referrals"][0]
            path = f"/api/v1/queue/referrals/{first['id']}/availability/"
            return slot_pool(server.base, {**auth, **as_citizen(first["iin"])}, path, n)

        rng = random.Random(42)
        pools = {}
        for label, dept in (("api", api), ("baseline", base_dept), ("same_work", same_dept)):
            pools[label] = pool_of(dept)
            rng.shuffle(pools[label])
        api_bodies = [
            ({"referral_id": r["id"], "slot_id": s}, as_citizen(r["iin"]))
            for r, s in zip(api["referrals"], pools["api"], strict=False)
        ]
        same_bodies = [
            ({"referral_id": r["id"], "slot_id": s}, as_citizen(r["iin"]))
            for r, s in zip(same_dept["referrals"], pools["same_work"], strict=False)
        ]
        base_bodies = [
            ({"referral_id": r["id"], "slot_id": s}, {})
            for r, s in zip(base_dept["referrals"], pools["baseline"], strict=False)
        ]
        # the three alternate too, each round on its own share of the referrals and slots
        booking_runs: dict[str, list[dict]] = {}
        for r in range(args.rounds):

            def share(bodies: list, r: int = r) -> list:
                size = len(bodies) // args.rounds
                return bodies[r * size : (r + 1) * size]

            for key, path, bodies, headers in (
                ("api", "/api/v1/queue/bookings/create/", api_bodies, auth),
                # the baseline: the same database work in a minimal view
                ("baseline", "/bench/baseline/book-same-work/", same_bodies, auth),
                # for scale: the bare minimum of a booking
                ("bare_minimum", "/bench/baseline/book/", base_bodies, {}),
            ):
                booking_runs.setdefault(key, []).append(
                    measure_booking(server.base, headers, path, share(bodies), args.clients)
                )
        booking = {key: median_of(got) for key, got in booking_runs.items()}
        if args.booking_only:
            print(json.dumps(booking_summary(booking, args, n), indent=2))
            return
        last_first = last_dept["referrals"][0]
        last_slot = slot_pool(
            server.base,
            {**auth, **as_citizen(last_first["iin"])},
            f"/api/v1/queue/referrals/{last_first['id']}/availability/",
            1,
        )[0]
        last_place = measure_last_place(server.base, auth, last_dept, env["DATABASE_URL"], last_slot)

    def per_second(key: str) -> float | None:
        return booking[key]["per_second"] or None

    ratio = booking["api"]["per_second"] / per_second("baseline") if per_second("baseline") else None
    bare = booking["api"]["per_second"] / per_second("bare_minimum") if per_second("bare_minimum") else None
    peer_rate = availability["peer"].get("per_second")
    vs_peer = {
        key: round(availability[key]["per_second"] / peer_rate, 2) if peer_rate else None for key in ("api", "api_day")
    }
    wrk = availability.get("wrk", {})
    wrk_peer_rate = wrk.get("peer", {}).get("per_second")
    vs_peer_wrk = {
        key: round(wrk[key]["per_second"] / wrk_peer_rate, 2) if wrk_peer_rate and key in wrk else None
        for key in ("api", "api_day")
    }
    # the floor: the fresh checks alone, against the peer, and how much of it the API keeps
    floor = {
        "fresh_checks_vs_peer": (
            round(availability["fresh_checks"]["per_second"] / peer_rate, 2) if peer_rate else None
        ),
        "fresh_checks_vs_peer_wrk": (
            round(wrk["fresh_checks"]["per_second"] / wrk_peer_rate, 2)
            if wrk_peer_rate and "fresh_checks" in wrk
            else None
        ),
        "api_vs_fresh_checks": round(availability["api"]["per_second"] / availability["fresh_checks"]["per_second"], 2),
        "api_vs_fresh_checks_wrk": (
            round(wrk["api"]["per_second"] / wrk["fresh_checks"]["per_second"], 2) if "fresh_checks" in wrk else None
        ),
    }
    result = {
        "benchmark": "queue_booking",
        "database": "postgresql",
        "clients": args.clients,
        "bookings_attempted": n,
        "slot_capacity": args.capacity,
        "gunicorn_workers": args.workers,
        "availability": availability,
        "booking": booking,
        "availability_vs_peer": vs_peer,
        # the same, driven by wrk (the Python driver's own CPU left out of the 2 cores' load)
        "availability_vs_peer_wrk": vs_peer_wrk,
        # the most any availability answer keeping the fresh checks could reach (bench/baseline.py)
        "availability_floor": floor,
        "availability_rounds": args.rounds,
        "booking_throughput_vs_baseline": round(ratio, 3) if ratio else None,
        "booking_throughput_vs_bare_minimum": round(bare, 3) if bare else None,
        "last_place": last_place,
        "targets": {
            "booking_throughput_vs_baseline_min": 0.6,
            "availability_p95_ms_max": 50,
            "met": {
                "throughput": bool(ratio and ratio >= 0.6),
                "availability_p95_one_client": availability["api_one_client"]["p95_ms"] < 50,
                "availability_p95_under_load": availability["api"]["p95_ms"] < 50,
                "availability_5x_peer": all(v is not None and v >= 5 for v in vs_peer.values()),
                "availability_5x_peer_wrk": all(v is not None and v >= 5 for v in vs_peer_wrk.values()),
                "last_place_one_booking_rest_slot_full": last_place["bookings_made"] == 1
                and last_place["overbookings"] == 0
                and last_place["answers"].get("slot_full", 0) == last_place["clients"] - 1,
            },
        },
    }
    peer = availability["peer"]
    rate = {k: availability[k]["per_second"] for k in ("api", "api_day")}
    lp = last_place
    result["table"] = [
        row(
            "availability, referral's dates (req/s, 16 clients) vs peer's day",
            rate["api"],
            peer_rate,
            ">= 5x",
            bool(vs_peer["api"] and vs_peer["api"] >= 5),
        ),
        row(
            "availability, one day's times (req/s, 16 clients) vs peer's day",
            rate["api_day"],
            peer_rate,
            ">= 5x",
            bool(vs_peer["api_day"] and vs_peer["api_day"] >= 5),
        ),
        *(
            [
                row(
                    f"wrk: availability, {label} (req/s, 16 clients) vs peer's day",
                    wrk[key]["per_second"],
                    wrk_peer_rate,
                    ">= 5x",
                    bool(vs_peer_wrk[key] and vs_peer_wrk[key] >= 5),
                )
                for key, label in (("api", "referral's dates"), ("api_day", "one day's times"))
            ]
            + [
                row(
                    "wrk: availability p95 ms, 16 clients (peer's p95)",
                    wrk["api"]["p95_ms"],
                    wrk.get("peer", {}).get("p95_ms"),
                    "< 50 ms",
                    wrk["api"]["p95_ms"] < 50,
                )
            ]
            if "api" in wrk
            else []
        ),
        row(
            "floor: the fresh checks alone, no dates (req/s, 16 clients) vs peer's day",
            availability["fresh_checks"]["per_second"],
            peer_rate,
            "(the most 5x can be)",
            None,
        ),
        *(
            [
                row(
                    "wrk: floor, the fresh checks alone (req/s, 16 clients) vs peer's day",
                    wrk["fresh_checks"]["per_second"],
                    wrk_peer_rate,
                    "(the most 5x can be)",
                    None,
                ),
                row(
                    "wrk: availability, referral's dates vs the fresh checks alone",
                    wrk["api"]["per_second"],
                    wrk["fresh_checks"]["per_second"],
                    "(share of the floor)",
                    None,
                ),
            ]
            if "fresh_checks" in wrk
            else []
        ),
        row(
            "availability p95 ms, 16 clients (peer's p95)",
            availability["api"]["p95_ms"],
            peer.get("p95_ms"),
            "< 50 ms",
            availability["api"]["p95_ms"] < 50,
        ),
        row(
            "availability p95 ms, one client (peer's p95)",
            availability["api_one_client"]["p95_ms"],
            availability.get("peer_one_client", {}).get("p95_ms"),
            "< 50 ms",
            availability["api_one_client"]["p95_ms"] < 50,
        ),
        row(
            "booking (bookings/s) vs bare minimum",
            booking["api"]["per_second"],
            booking["bare_minimum"]["per_second"],
            ">= 0.6x",
            bool(bare and bare >= 0.6),
        ),
        row(
            "booking (bookings/s) vs same database work",
            booking["api"]["per_second"],
            booking["baseline"]["per_second"],
            ">= 0.6x",
            bool(ratio and ratio >= 0.6),
        ),
        row(
            f"last place, {lp['clients']} clients: bookings made",
            lp["bookings_made"],
            1,
            "exactly 1",
            lp["bookings_made"] == 1,
        ),
        row(
            "last place: slot_full answers",
            lp["answers"].get("slot_full", 0),
            lp["clients"] - 1,
            "all the rest",
            lp["answers"].get("slot_full", 0) == lp["clients"] - 1,
        ),
        row("last place: overbookings", lp["overbookings"], 0, "0", lp["overbookings"] == 0),
    ]
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
