from django.urls import path

from portal.accesslog import views

app_name = "accesslog"

urlpatterns = [
    path("", views.person_log, name="person-log"),
]
