from django.conf import settings
from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = []
# The dev inbox shows every SMS, sign-in codes included: it exists only in development, and only
# when asked for (SMS_DEV_INBOX, which is never on with DEBUG off). Otherwise the address is a 404.
if settings.SMS_DEV_INBOX:
    urlpatterns.append(path("dev/inbox/", views.dev_inbox, name="dev-inbox"))
