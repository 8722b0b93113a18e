from django.urls import path

from queue_booking import views

app_name = "queue_booking"

urlpatterns = [
    # the citizen
    path("", views.cabinet, name="cabinet"),
    path("book/", views.book, name="book"),
    path("book/<uuid:referral_id>/", views.book_date, name="book-date"),
    path("book/<uuid:referral_id>/waitlist/", views.waitlist_join, name="waitlist-join"),
    path("waitlist/<int:entry_id>/leave/", views.waitlist_leave, name="waitlist-leave"),
    path("book/<uuid:referral_id>/<str:day>/", views.book_time, name="book-time"),
    path("bookings/<uuid:public_id>/", views.ticket, name="ticket"),
    path("bookings/<uuid:public_id>/ticket.ics", views.ticket_ics, name="ticket-ics"),
    path("bookings/<uuid:public_id>/cancel/", views.cancel, name="cancel"),
    # department staff
    path("staff/", views.staff_queue, name="staff-queue"),
    path("staff/check-in/", views.staff_check_in, name="staff-check-in"),
    path("staff/s3/", views.staff_s3, name="staff-s3"),
    path("staff/bookings/<uuid:public_id>/call/", views.staff_call, name="staff-call"),
    path("staff/walk-in/", views.staff_walk_in, name="staff-walk-in"),
    path("staff/bookings/<uuid:public_id>/served/", views.staff_mark_served, name="staff-served"),
    path("staff/bookings/<uuid:public_id>/left/", views.staff_mark_left, name="staff-left"),
    path("staff/bookings/<uuid:public_id>/act/", views.staff_act, name="staff-act"),
]
