"""API of the notifications app: the gateway's delivery-status callback and the status read."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from notifications import selectors, services
from notifications.backends.smsc import status_from_code
from notifications.masking import mask_phone
from notifications.scopes import NotificationScope
from portal.accesslog.recording import Purpose, Subject, personal_data_read
from portal.accounts.access import (
    ALL_ROWS,
    INTEGRATORS_PEOPLE,
    SIGNED_BODY,
    STAFF_DEPARTMENT,
    STAFF_REGION,
    allow,
    committee_staff,
    department_staff,
    integrator,
    operator,
    provider_staff,
    signed_callback,
)
from portal.accounts.permissions import HasScope, is_integrator_call
from portal.accounts.selectors import integrator_of
from portal.errors import ForbiddenError, NotFoundError
from portal.parsers import JSONParser

SIGNATURE_HEADER = "HTTP_X_SIGNATURE"
MSG_SIGNATURE_INVALID = _("The callback signature is missing or wrong.")
MSG_STAFF_ONLY = _("Only staff can read message statuses.")


def callback_signature(secret: str, body: bytes) -> str:
    """``X-Signature`` of a callback: hex HMAC-SHA256 of the raw request body."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class SmsStatusCallbackApi(APIView):
    """The gateway reports a delivery status: SMSC.kz fields ``id`` (our message id, sent as the
    gateway's ``id``), ``status`` (its status code) and optionally ``err``, as a form or JSON.
    The raw body is signed: ``X-Signature: <hex HMAC-SHA256(SMS_CALLBACK_SECRET, body)>``."""

    access_rule = allow(signed_callback(SIGNED_BODY))
    authentication_classes: list = []
    permission_classes = [AllowAny]
    # The gateway reports every message from a few addresses: a per-address budget would drop
    # statuses. The signature is the guard; a forged call is refused before anything is read.
    throttle_classes: list = []
    # The core's JSON parser: a bounded body and nesting depth (a 400, never a 500).
    parser_classes = [FormParser, JSONParser]

    class InputSerializer(serializers.Serializer):
        id = serializers.CharField(max_length=64)
        status = serializers.IntegerField()
        err = serializers.CharField(required=False, allow_blank=True, max_length=64)

    @extend_schema(request=InputSerializer, responses={200: None}, auth=[])
    def post(self, request, version=None):
        secret = settings.SMS_CALLBACK_SECRET
        body = request.body  # read before the parsers consume the stream
        given = request.META.get(SIGNATURE_HEADER, "")
        if not secret or not hmac.compare_digest(given, callback_signature(secret, body)):
            raise ForbiddenError(MSG_SIGNATURE_INVALID, code="signature_invalid")
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = selectors.message_get_by_gateway_id(backend="http", gateway_id=data.validated_data["id"])
        if message is None:
            raise NotFoundError(selectors.MSG_MESSAGE_UNKNOWN, code="message_unknown", field="id")
        message = services.message_status_apply(
            message=message, reported=status_from_code(data.validated_data["status"])
        )
        return Response({"id": str(message.public_id), "status": message.status})


class MessageStatusApi(APIView):
    """An integrator (scope ``notifications:read``) or staff reads a message's status and history.

    Staff read the messages filed under their department or region (sec16); Committee staff and
    operators any.

    X-8: an integrator reads only the messages its own requests caused (a consent code) and the
    messages about one of its people (a referral from its organisations), never one carrying a
    secret it did not ask for; any other id is answered 404 ``message_unknown``, as an id that
    does not exist.
    """

    access_rule = allow(
        integrator(INTEGRATORS_PEOPLE, scope=NotificationScope.NOTIFICATIONS_READ),
        department_staff(STAFF_DEPARTMENT),
        provider_staff(STAFF_REGION),
        committee_staff(ALL_ROWS),
        operator(ALL_ROWS),
    )
    permission_classes = [IsAuthenticated, HasScope(NotificationScope.NOTIFICATIONS_READ)]

    class OutputSerializer(serializers.Serializer):
        class EventSerializer(serializers.Serializer):
            status = serializers.CharField()
            at = serializers.DateTimeField()
            detail = serializers.CharField()

        id = serializers.UUIDField(source="public_id")
        template = serializers.CharField(source="template.key")
        language = serializers.CharField()
        phone = serializers.SerializerMethodField()
        status = serializers.CharField()
        status_display = serializers.CharField(source="get_status_display")
        reason = serializers.CharField()
        segments = serializers.IntegerField()
        encoding = serializers.CharField()
        attempts = serializers.IntegerField()
        created_at = serializers.DateTimeField()
        sent_at = serializers.DateTimeField(allow_null=True)
        delivered_at = serializers.DateTimeField(allow_null=True)
        failed_at = serializers.DateTimeField(allow_null=True)
        events = EventSerializer(many=True)

        def get_phone(self, obj) -> str:
            return mask_phone(obj.phone)

    @extend_schema(responses=OutputSerializer)
    def get(self, request, public_id, version=None):
        if is_integrator_call(request):
            message = selectors.message_get_by_public_id(public_id, integrator=integrator_of(request.user))
            return Response(self.OutputSerializer(message).data)
        if not request.user.is_staff:
            raise ForbiddenError(MSG_STAFF_ONLY, code="forbidden")
        message = selectors.message_get_by_public_id(public_id, staff_user=request.user)
        personal_data_read(request, message, Subject.MESSAGE, Purpose.MESSAGE_DELIVERY)
        return Response(self.OutputSerializer(message).data)
