import pytest

pytestmark = pytest.mark.django_db


def test_home_page_answers(client):
    assert client.get("/").status_code == 200


def test_api_schema_answers(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/referrals/" in response.content
