"""sec17: the OpenAPI schema documents the error answers; pages carry a strict Content-Security-Policy."""

import re
from pathlib import Path

import pytest
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[2]
HTTP_METHODS = {"get", "post", "put", "patch", "delete"}
SMS_CALLBACK = "/api/v1/notifications/sms-status/"


@pytest.fixture
def schema(client) -> dict:
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield path, method, operation


def assert_error_shape(body: dict, components: dict) -> None:
    """``body`` matches the documented ``Error`` component (checked by hand: OpenAPI 3.0's
    ``nullable`` is not JSON Schema)."""
    error = components["Error"]
    item = components["ErrorItem"]
    assert set(body) == set(error["required"]) == {"errors"}
    assert isinstance(body["errors"], list)
    assert len(body["errors"]) >= error["properties"]["errors"]["minItems"]
    for entry in body["errors"]:
        assert set(entry) == set(item["required"]) == {"field", "code", "message"}
        assert entry["field"] is None or isinstance(entry["field"], str)
        assert isinstance(entry["code"], str)
        assert entry["code"]
        assert isinstance(entry["message"], str)
        assert entry["message"]


def test_sec17_schema_documents_the_error_answers_of_every_operation(schema):
    components = schema["components"]["schemas"]
    assert components["Error"]["properties"]["errors"]["items"] == {"$ref": "#/components/schemas/ErrorItem"}
    assert components["ErrorItem"]["properties"]["field"]["nullable"] is True
    seen = 0
    for path, method, operation in operations(schema):
        seen += 1
        expected = {"400", "403", "404"}
        if operation.get("security"):
            expected.add("401")
        if method != "get":
            expected.add("409")
        if path != SMS_CALLBACK:  # the gateway's callback has no request budget: the signature guards it
            expected.add("429")
        documented = {s for s in operation["responses"] if s.startswith("4")}
        assert documented == expected, (method, path)
        for status in expected:
            content = operation["responses"][status]["content"]["application/json"]
            assert content["schema"] == {"$ref": "#/components/schemas/Error"}, (method, path, status)
            # the generic example, and any a view adds of its own (the intake's P-4 refusal)
            assert content["examples"]
            for example in content["examples"].values():
                assert_error_shape(example["value"], components)
    assert seen >= 15


def test_sec17_examples_name_real_codes_and_429_says_when_to_retry(schema):
    operation = schema["paths"]["/api/v1/queue/bookings/create/"]["post"]
    codes = {
        status: next(iter(operation["responses"][status]["content"]["application/json"]["examples"].values()))["value"][
            "errors"
        ][0]["code"]
        for status in ("400", "401", "403", "404", "409", "429")
    }
    assert codes == {
        "400": "iin_checksum",
        "401": "not_authenticated",
        "403": "permission_denied",
        "404": "not_found",
        "409": "slot_full",
        "429": "throttled",
    }
    assert "Retry-After" in operation["responses"]["429"]["headers"]
    assert "401" not in schema["paths"][SMS_CALLBACK]["post"]["responses"]


def test_sec17_schema_with_the_error_answers_is_valid_openapi(schema):
    validate_schema(schema)


def test_sec17_real_error_answers_match_the_documented_error_component(schema, api_client):
    components = schema["components"]["schemas"]
    unauthenticated = APIClient().get("/api/v1/whoami/")
    assert unauthenticated.status_code == 401
    assert_error_shape(unauthenticated.json(), components)
    missing = api_client.get("/api/v1/referrals/00000000-0000-0000-0000-000000000000/")
    assert missing.status_code == 404
    assert_error_shape(missing.json(), components)
    refused = api_client.post("/api/v1/referrals/", {"person_iin": "123"}, format="json")
    assert refused.status_code == 400
    assert_error_shape(refused.json(), components)


# --- Content-Security-Policy ---------------------------------------------------------------------
def directives(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in (part.strip() for part in header.split(";")) if d}


@pytest.mark.parametrize("url", ["/", "/kk/", "/accounts/sign-in/", "/queue/"])
def test_sec17_pages_render_under_a_strict_content_security_policy(client, url):
    response = client.get(url, follow=True)
    assert response.status_code == 200
    csp = directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]  # no nonce asked for: no inline script at all
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]


def test_sec17_signed_in_page_carries_the_policy(citizen_client):
    response = citizen_client.get("/queue/")
    assert response.status_code == 200
    assert directives(response)["frame-ancestors"] == ["'none'"]


def test_sec17_api_docs_page_works_under_the_policy(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    csp = directives(response)
    (nonce,) = re.findall(r'<style nonce="([^"]+)">', page)
    assert csp["style-src"] == ["'self'", f"'nonce-{nonce}'"]
    scripts = re.findall(r"<script([^>]*)>", page)
    assert len(scripts) == 3
    assert all("src=" in attrs for attrs in scripts)  # no inline script: the init script is a URL
    init = re.search(r'<script src="(/api/docs/\?script=)"', page).group(1)
    script = client.get(init)
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content


def _templates() -> list[Path]:
    roots = [BASE_DIR / "templates", *BASE_DIR.glob("*/templates"), *BASE_DIR.glob("portal/*/templates")]
    return [p for root in roots for p in root.rglob("*.html")]


def test_sec17_templates_have_no_inline_script_and_styles_carry_the_nonce():
    found = _templates()
    assert len(found) > 10
    for template in found:
        text = template.read_text(encoding="utf-8")
        for attrs in re.findall(r"<script([^>]*)>", text):
            assert "src=" in attrs, f"inline <script> in {template.relative_to(BASE_DIR)}"
        for attrs in re.findall(r"<style([^>]*)>", text):
            assert 'nonce="{{ request.csp_nonce }}"' in attrs, f"<style> without nonce in {template}"
        assert not re.search(r"\son[a-z]+=", text), f"inline event handler in {template.relative_to(BASE_DIR)}"
        assert " style=" not in text, f"style attribute in {template.relative_to(BASE_DIR)}"
