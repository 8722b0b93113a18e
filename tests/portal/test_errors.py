"""One error body for the whole API: ``{"errors": [{"field", "code", "message"}]}``."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from portal.errors import ApplicationError, ApplicationErrors, ConflictError, ErrorItem, api_exception_handler

pytestmark = pytest.mark.django_db


def handle(exc):
    response = api_exception_handler(exc, {})
    return response.status_code, response.data


def test_application_error_body_and_status():
    assert handle(ApplicationError("Slot is full.", code="slot_full", field="slot")) == (
        400,
        {"errors": [{"field": "slot", "code": "slot_full", "message": "Slot is full."}]},
    )
    assert handle(ConflictError("Taken.", code="taken"))[0] == 409


def test_several_errors_listed_in_order():
    items = [ErrorItem("a", "a_bad", "A."), ErrorItem(None, "b_bad", "B.")]
    status, body = handle(ApplicationErrors(items))
    assert status == 400
    assert body["errors"] == [
        {"field": "a", "code": "a_bad", "message": "A."},
        {"field": None, "code": "b_bad", "message": "B."},
    ]


def test_django_validation_error_keeps_each_code():
    status, body = handle(
        ValidationError(
            {
                "iin": [ValidationError("Bad check digit.", code="iin_checksum")],
                "__all__": [ValidationError("Whole form.", code="form_bad")],
            }
        )
    )
    assert status == 400
    assert {(e["field"], e["code"], e["message"]) for e in body["errors"]} == {
        ("iin", "iin_checksum", "Bad check digit."),
        (None, "form_bad", "Whole form."),
    }
    _status, body = handle(ValidationError("Plain %(x)s.", code="plain", params={"x": "one"}))
    assert body["errors"] == [{"field": None, "code": "plain", "message": "Plain one."}]


def test_django_404_and_permission_denied_in_the_same_shape():
    status, body = handle(Http404())
    assert status == 404
    assert body["errors"][0]["code"] == "not_found"
    status, body = handle(PermissionDenied())
    assert status == 403
    assert body["errors"][0]["code"] == "permission_denied"


def test_form_gets_the_error_on_its_field():
    err = ApplicationError("Bad.", code="bad", field="iin").as_validation_error()
    assert err.error_dict["iin"][0].code == "bad"


# --- error pages (X-1: in the user's language; the API keeps its one JSON shape) ------------------


def test_x1_unknown_page_answers_404_page_in_the_users_language(client):
    response = client.get("/kk/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert 'lang="kk"' in page
    assert "Бұл мекенжайда бет жоқ" in page  # the Kazakh text, not the English source


def test_unknown_api_address_answers_the_json_error_shape(client):
    response = client.get("/api/v1/no-such-endpoint/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 404
    assert response.json() == {
        "errors": [{"field": None, "code": "not_found", "message": response.json()["errors"][0]["message"]}]
    }
    assert "страницы" in response.json()["errors"][0]["message"]


def test_server_error_page_needs_no_request_context(rf):
    from portal.views import server_error

    response = server_error(rf.get("/queue/cabinet/"))
    assert response.status_code == 500
    assert "<h1>" in response.content.decode()
    api = server_error(rf.get("/api/v1/queue/bookings/"))
    assert api.status_code == 500
    assert json.loads(api.content)["errors"][0]["code"] == "server_error"


def test_csrf_failure_explains_that_nothing_was_saved():
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post("/accounts/sign-in/", {"iin": "780512341011"})
    assert response.status_code == 403
    assert "The form has expired" in response.content.decode()
