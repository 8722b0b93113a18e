"""The portal's settings plus the baseline views of the benchmarks (never used outside bench/)."""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
