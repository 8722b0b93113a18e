"""sec14: a deeply nested or oversized JSON body is a 400 in the one error shape on every endpoint."""

import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from notifications.apis import callback_signature
from portal.parsers import json_depth_exceeds

pytestmark = pytest.mark.django_db

DEEP = "[" * 50_000
WRITE_METHODS = ("post", "put", "patch")
SMS_CALLBACK = "/api/v1/notifications/sms-status/"
A_VALID_IIN = "780512341011"


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.callback


def _path(route: str) -> str:
    path = route.replace("<str:version>", "v1")
    path = re.sub(r"<uuid:\w+>", str(uuid.uuid4()), path)
    path = re.sub(r"<int:\w+>", "1", path)
    assert "<" not in path, route
    return "/" + path


def api_write_endpoints() -> list[tuple[str, str]]:
    """Every (method, path) of the API that takes a body."""
    found = []
    for route, callback in _walk(get_resolver().url_patterns):
        view = getattr(callback, "cls", None)
        if not route.startswith("api/<str:version>/") or view is None:
            continue
        found.extend((method, _path(route)) for method in WRITE_METHODS if hasattr(view, method))
    return found


def _send(client, method: str, path: str, body: str):
    signature = callback_signature("dev-callback-secret", body.encode())
    # the person an integrator acts for is named in a header, so a call gets as far as its body
    return getattr(client, method)(
        path, body, content_type="application/json", HTTP_X_SIGNATURE=signature, HTTP_X_CITIZEN_IIN=A_VALID_IIN
    )


def assert_error(response, status: int, code: str):
    assert response.status_code == status, (response.status_code, response.content[:300])
    body = response.json()
    assert set(body) == {"errors"}
    assert [(e["field"], e["code"]) for e in body["errors"]] == [(None, code)]
    assert body["errors"][0]["message"]


def test_sec14_the_walk_finds_the_json_endpoints():
    endpoints = api_write_endpoints()
    assert ("post", "/api/v1/referrals/") in endpoints
    assert ("post", SMS_CALLBACK) in endpoints
    assert ("post", "/api/v1/queue/bookings/create/") in endpoints
    assert len(endpoints) >= 8


@pytest.mark.parametrize("who", ["integrator", "anonymous"])
def test_sec14_deeply_nested_json_is_never_a_server_error(who, api_client, settings):
    settings.SMS_CALLBACK_SECRET = "dev-callback-secret"
    client = api_client if who == "integrator" else APIClient()
    for method, path in api_write_endpoints():
        response = _send(client, method, path, DEEP)
        assert response.status_code < 500, (method, path, response.status_code)
        body = response.json()
        assert set(body) == {"errors"}, (method, path)
        if response.status_code == 400:
            assert body["errors"][0]["code"] == "json_too_deep", (method, path, body)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/referrals/",
        "/api/v1/queue/bookings/create/",
    ],
)
def test_sec14_json_endpoints_refuse_deep_nesting_with_400(api_client, path):
    assert_error(_send(api_client, "post", path, DEEP), 400, "json_too_deep")


def test_sec14_signed_sms_callback_refuses_deep_nesting_with_400(client, settings):
    settings.SMS_CALLBACK_SECRET = "dev-callback-secret"
    assert_error(_send(client, "post", SMS_CALLBACK, DEEP), 400, "json_too_deep")


def test_sec14_unsigned_sms_callback_is_refused_before_parsing(client, settings):
    settings.SMS_CALLBACK_SECRET = "dev-callback-secret"
    response = client.post(SMS_CALLBACK, DEEP, content_type="application/json", HTTP_X_SIGNATURE="0" * 64)
    assert_error(response, 403, "signature_invalid")


def test_sec14_nesting_up_to_the_limit_is_parsed(api_client, settings):
    settings.API_MAX_JSON_DEPTH = 32
    # the object itself is level 1: a value nested 31 levels inside it reaches 32
    body = '{"person_iin": ' + "[" * 31 + "]" * 31 + "}"
    response = _send(api_client, "post", "/api/v1/referrals/", body)
    assert response.status_code == 400
    assert "json_too_deep" not in {e["code"] for e in response.json()["errors"]}
    body = '{"person_iin": ' + "[" * 32 + "]" * 32 + "}"
    assert_error(_send(api_client, "post", "/api/v1/referrals/", body), 400, "json_too_deep")


def test_sec14_oversized_body_is_refused_with_400(api_client, settings):
    settings.API_MAX_BODY_BYTES = 1000
    body = '{"external_id": "' + "x" * 1000 + '"}'
    assert_error(_send(api_client, "post", "/api/v1/referrals/", body), 400, "request_too_large")


def test_sec14_oversized_signed_sms_callback_is_refused_with_400(client, settings):
    settings.SMS_CALLBACK_SECRET = "dev-callback-secret"
    settings.API_MAX_BODY_BYTES = 100
    body = '{"id": "' + "1" * 200 + '", "status": 1}'
    assert_error(_send(client, "post", SMS_CALLBACK, body), 400, "request_too_large")


def test_sec14_invalid_json_is_still_a_400_parse_error(api_client):
    assert_error(_send(api_client, "post", "/api/v1/referrals/", '{"a": '), 400, "parse_error")


def test_sec14_depth_counts_brackets_outside_strings_only():
    assert not json_depth_exceeds('{"a": "[[[[[[[[[[", "b": "\\"[[[["}', 2)
    assert not json_depth_exceeds('[[{"a": 1}]]', 3)
    assert json_depth_exceeds('[[{"a": [1]}]]', 3)
    assert json_depth_exceeds(DEEP, 32)
