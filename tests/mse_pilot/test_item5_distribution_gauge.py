"""Issue 14, item 5: the remote pilot's distribution waiting list as a Prometheus gauge, read
through the pilot's own selector and registered by the pilot's AppConfig."""

import pytest
from prometheus_client.parser import text_string_to_metric_families

from mse_pilot.models import RemoteCase
from mse_pilot.selectors import waiting_list

pytestmark = pytest.mark.django_db

TOKEN = "operator-metrics-token-0123456789"


def _waiting_gauge(client) -> float:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    families = {f.name: f.samples for f in text_string_to_metric_families(response.content.decode())}
    [sample] = families["portal_pilot_distribution_waiting"]
    return sample.value


def test_item5_distribution_waiting_gauge_counts_the_cases_waiting(client, settings, window, intake):
    settings.METRICS_TOKEN = TOKEN
    assert _waiting_gauge(client) == 0
    first, _ = intake("Q90.0")
    intake("Q90.1")
    intake("Q90.2")
    assert waiting_list().count() == 3
    assert _waiting_gauge(client) == 3
    # a case in any other stage (assigned to its panel) no longer counts
    RemoteCase.objects.filter(referral=first).update(stage=RemoteCase.Stage.ASSIGNED)
    assert _waiting_gauge(client) == 2
