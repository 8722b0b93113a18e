from django.urls import path

from portal.acts import views

app_name = "acts"

urlpatterns = [
    # S-5: the person's results
    path("results/", views.results, name="results"),
    path("results/<uuid:public_id>/<str:slug>/", views.result_document, name="document"),
    path("results/<uuid:public_id>/<str:slug>/file/", views.result_document_file, name="document-file"),
    # S-4, S-6: department staff
    path("staff/", views.staff_referrals, name="staff-referrals"),
    path("staff/referrals/<uuid:referral_id>/plan/", views.staff_plan, name="staff-plan"),
    path("staff/referrals/<uuid:referral_id>/refuse/", views.staff_refusal, name="staff-refusal"),
]
