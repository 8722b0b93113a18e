from django.urls import path

from notifications import apis

app_name = "notifications-api"

urlpatterns = [
    path("notifications/sms-status/", apis.SmsStatusCallbackApi.as_view(), name="sms-status-callback"),
    path("notifications/messages/<uuid:public_id>/", apis.MessageStatusApi.as_view(), name="message-status"),
]
