from django.urls import path

from bench import baseline
from portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    path("bench/baseline/availability/<uuid:public_id>/", baseline.availability),
    path("api/<str:version>/bench/fresh-checks/<uuid:public_id>/", baseline.fresh_checks),
    path("bench/baseline/book/", baseline.book),
    path("bench/baseline/book-same-work/", baseline.book_same_work),
    *portal_urlpatterns,
]
