from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("dev/inbox/", views.dev_inbox, name="dev-inbox"),
]
