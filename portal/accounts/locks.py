"""Every lock the accounts app takes, in one place.

Order: a sign-in IIN lock is taken first in its transaction, before any row lock (the sign-in code
row of ``sign_in_code_verify`` is the only other one).
"""

import hashlib

from django.db import connection


def sign_in_iin_lock(*, iin: str) -> None:
    """Serialise code requests for one IIN until the transaction ends, so two clicks of "Send code"
    at once send one SMS. The lock exists for any IIN, registered or not (no row is needed).

    PostgreSQL: a transaction-level advisory lock keyed by the IIN. SQLite: every transaction already
    holds the database's write lock from its start (``transaction_mode=IMMEDIATE``).
    """
    if connection.vendor != "postgresql":
        return
    key = int.from_bytes(hashlib.sha256(f"sign-in:{iin}".encode()).digest()[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
