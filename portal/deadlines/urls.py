from django.urls import path

from portal.deadlines import views

app_name = "deadlines"

urlpatterns = [
    path("", views.radar, name="radar"),
]
