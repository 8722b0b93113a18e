"""One error body for the whole API: ``{"errors": [{"field", "code", "message"}]}``."""

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
