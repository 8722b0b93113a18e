app_name = "queue_booking-api"

urlpatterns: list = []
