from django.urls import path

from portal.referrals import apis

urlpatterns = [
    path("referrals/", apis.ReferralIntakeApi.as_view(), name="referral-intake"),
    path("referrals/by-person/", apis.ReferralListForPersonApi.as_view(), name="referral-list-for-person"),
    path("referrals/<uuid:public_id>/", apis.ReferralDetailApi.as_view(), name="referral-detail"),
]
