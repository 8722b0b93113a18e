"""The month's payment list (item 7) for 100,000 approved decisions on PostgreSQL, against a single
SQL ``INSERT ... SELECT`` baseline in the same run.

- ``build``: ``benefits.services.payment_list_build`` on an empty month: the portal's one statement
  with arrears from the start date, the one-time payments not yet paid, the person-and-month unique
  indexes and ``ON CONFLICT DO NOTHING``;
- ``rebuild``: the same call again (idempotent: adds nothing);
- ``baseline``: the bare minimum, one ``INSERT INTO benefits_paymentline ... SELECT`` of every approved
  assigned decision with its amount (no arrears, no checks), into the same table with the same indexes.

Each is run ``--rounds`` times (the lines deleted in between), alternating, and the median is taken.
Prints one JSON document. Target (read, not asserted): build within 3x the baseline.

    python bench/bench_benefits_payments.py [--decisions 100000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import bench_env, fresh_database, manage

DB = "portal_bench_benefit_payments"
MONTH = "2026-03-01"

SEED_SQL = """
INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name, email, is_staff, is_active,
                           date_joined)
VALUES ('!', false, 'bench-approver', '', '', '', true, true, now());
INSERT INTO signatures_signatureverification (purpose, outcome, reason, revocation, revocation_source, backend,
    signer_iin, signer_bin, certificate_serial, issuer, subject_cn, expected_iin, expected_bin, content_sha256,
    document_id, created_at)
VALUES ('bench', 'valid', 'ok', 'good', '', 'local', '', '', '', '', '', '', '', '', '', now());
INSERT INTO benefits_application (public_id, created_at, updated_at, programme, channel, stage, applicant_iin,
    applicant_bin, applicant_name, subject_iin, confirmed_by, submitted_at, refusal_code)
SELECT gen_random_uuid(), now(), now(), CASE WHEN g % 5 = 0 THEN 'funeral' ELSE 'disability' END, 'portal',
       'approved', lpad(g::text, 12, '0'), '', '', lpad(g::text, 12, '0'), 'sms_code', now(), ''
FROM generate_series(1, %(n)s) AS g;
INSERT INTO benefits_decision (public_id, created_at, updated_at, application_id, kind, amount, computation,
    ground_code, periodic, start_date, approved_at, approved_by_id, approval_signature_id)
SELECT gen_random_uuid(), now(), now(), a.id, 'assigned',
       CASE WHEN a.programme = 'funeral' THEN 151410.00 ELSE 52345.67 + (a.id % 100) END, '{}', '',
       a.programme <> 'funeral',
       CASE WHEN a.programme = 'funeral' THEN NULL ELSE DATE '2026-03-01' - ((a.id % 180)::int) END,
       now(), (SELECT id FROM accounts_user WHERE username = 'bench-approver'),
       (SELECT max(id) FROM signatures_signatureverification)
FROM benefits_application a;
"""

BASELINE_SQL = """
INSERT INTO benefits_paymentline (payment_list_id, decision_id, recipient, programme, periodic, month, amount,
                                  arrears_months, arrears, total)
SELECT %s, d.id, a.applicant_iin, a.programme, d.periodic, %s, d.amount, 0, 0, d.amount
FROM benefits_decision d JOIN benefits_application a ON a.id = d.application_id
WHERE d.kind = 'assigned' AND d.approved_at IS NOT NULL
"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--decisions", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    env = bench_env(DB)
    fresh_database(DB)
    manage(env, "migrate", "--noinput")
    os.environ.update(env)
    import django

    django.setup()
    import datetime as dt

    from django.db import connection

    from benefits.models import PaymentLine, PaymentList
    from benefits.services import payment_list_build

    with connection.cursor() as cursor:
        cursor.execute(SEED_SQL.replace("%(n)s", str(int(args.decisions))))
        cursor.execute("ANALYZE")
    month = dt.date.fromisoformat(MONTH)
    plist = PaymentList.objects.create(month=month)

    def clear() -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM benefits_paymentline")
            cursor.execute("VACUUM ANALYZE benefits_paymentline")

    def timed(fn) -> float:
        start = time.perf_counter()
        fn()
        return (time.perf_counter() - start) * 1000

    def baseline() -> None:
        with connection.cursor() as cursor:
            cursor.execute(BASELINE_SQL, [plist.pk, month])

    build_ms, rebuild_ms, baseline_ms, lines = [], [], [], []
    for _ in range(args.rounds):
        clear()
        baseline_ms.append(timed(baseline))
        clear()
        build_ms.append(timed(lambda: payment_list_build(month=month)))
        lines.append(PaymentLine.objects.count())
        rebuild_ms.append(timed(lambda: payment_list_build(month=month)))
    with_arrears = PaymentLine.objects.filter(arrears_months__gt=0).count()
    build, base = statistics.median(build_ms), statistics.median(baseline_ms)
    result = {
        "decisions": args.decisions,
        "lines": lines[-1],
        "lines_with_arrears": with_arrears,
        "rounds": args.rounds,
        "build_ms_median": round(build, 1),
        "rebuild_ms_median": round(statistics.median(rebuild_ms), 1),
        "baseline_insert_select_ms_median": round(base, 1),
        "build_over_baseline": round(build / base, 2) if base else None,
        "target": "build within 3x the baseline",
        "target_met": bool(base) and build <= 3 * base,
        "build_ms": [round(x, 1) for x in build_ms],
        "baseline_ms": [round(x, 1) for x in baseline_ms],
    }
    print(json.dumps(result, indent=2))
    connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
