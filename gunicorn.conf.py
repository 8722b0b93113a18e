"""gunicorn's settings, read from the working directory (the image's and docker-compose's command
run gunicorn there). Its own logs, the access log above all, bypass Django's LOGGING: the same
masking filter goes on its loggers, so no IIN, phone number or secret in a query string is written.

With ``PROMETHEUS_MULTIPROC_DIR`` set (prometheus-client's multiprocess mode, see
``portal/monitoring/metrics.py``) each worker writes its metrics to files in that directory: the
directory is emptied when the server starts (a previous run's files would be summed into this
run's), and a worker that exits is marked dead, so its live gauges stop being reported.
"""

import logging
import os
from pathlib import Path


def _multiproc_dir() -> Path | None:
    value = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
    return Path(value) if value else None


def on_starting(server):
    from portal.log_filters import PersonalDataFilter

    for name in ("gunicorn.access", "gunicorn.error"):
        logging.getLogger(name).addFilter(PersonalDataFilter())
    directory = _multiproc_dir()
    if directory is not None:
        directory.mkdir(parents=True, exist_ok=True)
        for entry in directory.iterdir():
            if entry.is_file() and entry.suffix == ".db":
                entry.unlink()


def child_exit(server, worker):
    if _multiproc_dir() is not None:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
