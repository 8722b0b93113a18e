"""gunicorn's settings, read from the working directory (the image's and docker-compose's command
run gunicorn there). Its own logs, the access log above all, bypass Django's LOGGING: the same
masking filter goes on its loggers, so no IIN, phone number or secret in a query string is written.
"""

import logging


def on_starting(server):
    from portal.log_filters import PersonalDataFilter

    for name in ("gunicorn.access", "gunicorn.error"):
        logging.getLogger(name).addFilter(PersonalDataFilter())
