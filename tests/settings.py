"""Settings of the test suite: the portal's settings in development mode, turned on explicitly.

The portal defaults to production (``DJANGO_DEBUG`` unset means off, and then a secret key is
required). Tests run the development defaults: a dev-only secret key, the database SMS backend, the
development static-files storage and the dev inbox. Subprocesses the tests start inherit these.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("SMS_DEV_INBOX", "true")

from portal.settings import *  # noqa: F403
