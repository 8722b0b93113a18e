from django.urls import path

from portal.consent import apis

urlpatterns = [
    path("consents/codes/", apis.ConsentCodeRequestApi.as_view(), name="consent-code-request"),
    path("consents/codes/<uuid:public_id>/confirm/", apis.ConsentCodeConfirmApi.as_view(), name="consent-code-confirm"),
]
