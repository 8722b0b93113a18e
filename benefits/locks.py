"""Every row lock of the benefits app.

There is none: one application per deceased (B-3 (3)) is the database's partial unique index
``benefits_one_funeral_application_per_deceased``; two concurrent filings both pass the check and the
second insert fails inside its savepoint, which ``funeral_application_file`` turns into a
non-acceptance with the ground "already filed".
"""
