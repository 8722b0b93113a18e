"""Pages of the benefits. Every view declares who may use it and what it reaches next to its code
(``portal/accounts/access.py``)."""

from django.urls import URLPattern, URLResolver, path

from benefits import views, views_disability, views_information, views_staff, views_survivor

app_name = "benefits"

urlpatterns: list[URLPattern | URLResolver] = [
    # S-7, B-12: the disability benefits' one application
    path("disability/<uuid:public_id>/", views_disability.disability_choice, name="disability-choice"),
    # B-7, B-9: the documents a waiting disability decision asks for
    path(
        "disability/applications/<uuid:public_id>/documents/",
        views_disability.disability_document_upload,
        name="disability-documents",
    ),
    path("", views.cabinet, name="cabinet"),
    path("funeral/apply/", views.funeral_apply, name="funeral-apply"),
    path("funeral/confirm/<uuid:code_id>/", views.funeral_confirm, name="funeral-confirm"),
    path("funeral/sign/", views.funeral_sign, name="funeral-sign"),  # B-1: confirmed by the signature
    path("carer/work-book/", views.carer_work_book, name="carer-work-book"),  # B-15
    # B-13..B-15: the survivor benefit, confirmed by a code or the signature like the funeral payment
    path("survivor/apply/", views_survivor.survivor_apply, name="survivor-apply"),
    path("survivor/confirm/<uuid:code_id>/", views_survivor.survivor_confirm, name="survivor-confirm"),
    path("survivor/sign/", views_survivor.survivor_sign, name="survivor-sign"),
    path("applications/<uuid:public_id>/receipt/", views.receipt, name="receipt"),
    # B-9: requests for information on an application, answered within 30 minutes
    path("applications/<uuid:public_id>/ask/", views_information.information_ask, name="information-ask"),
    path("staff/information/", views_information.information_open, name="staff-information"),
    path("documents/<uuid:public_id>/", views.document_download, name="document-download"),
    path("offers/<str:token>/", views.offer, name="offer"),
    path("staff/approve/", views.approve, name="approve"),
    # B-9: the staff's page of the disability applications waiting for a decision
    path("staff/disability/", views_staff.disability_waiting, name="staff-disability"),
    path("staff/disability/<uuid:public_id>/", views_staff.disability_act, name="staff-disability-act"),
    path(
        "staff/disability/<uuid:public_id>/documents/",
        views_staff.disability_document_attach,
        name="staff-disability-documents",
    ),
]
