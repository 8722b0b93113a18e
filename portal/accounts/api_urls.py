from django.urls import path

from portal.accounts import apis

urlpatterns = [path("whoami/", apis.WhoAmIApi.as_view(), name="whoami")]
