from django.urls import path

from portal.signatures import views

app_name = "signatures"

urlpatterns = [
    path("check/", views.signature_check, name="check"),
    path("demo-sign/", views.demo_sign, name="demo-sign"),
]
