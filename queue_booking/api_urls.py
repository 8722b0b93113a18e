from django.urls import path

from queue_booking import apis

app_name = "queue_booking-api"

urlpatterns = [
    path("queue/referrals/<uuid:public_id>/availability/", apis.AvailabilityApi.as_view(), name="availability"),
    path("queue/bookings/", apis.BookingListApi.as_view(), name="booking-list"),
    path("queue/bookings/create/", apis.BookingCreateApi.as_view(), name="booking-create"),
    path("queue/bookings/<uuid:public_id>/", apis.BookingDetailApi.as_view(), name="booking-detail"),
    path("queue/bookings/<uuid:public_id>/cancel/", apis.BookingCancelApi.as_view(), name="booking-cancel"),
    path("queue/bookings/<uuid:public_id>/served/", apis.BookingServedApi.as_view(), name="booking-served"),
    path("queue/bookings/<uuid:public_id>/left/", apis.BookingLeftApi.as_view(), name="booking-left"),
    path("queue/departments/<int:department_id>/queue/", apis.QueueTodayApi.as_view(), name="queue-today"),
    path("queue/departments/<int:department_id>/check-in/", apis.CheckInApi.as_view(), name="check-in"),
    path("queue/departments/<int:department_id>/walk-ins/", apis.WalkInAddApi.as_view(), name="walk-in-add"),
]
