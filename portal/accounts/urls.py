from django.urls import path

from portal.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-in/code/", views.sign_in_code, name="sign-in-code"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("staff/sign-in/", views.StaffSignInView.as_view(), name="staff-sign-in"),
]
