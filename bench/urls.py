from django.urls import path

from bench import baseline
from portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    path("bench/baseline/availability/<uuid:public_id>/", baseline.availability),
    path("bench/baseline/book/", baseline.book),
    *portal_urlpatterns,
]
