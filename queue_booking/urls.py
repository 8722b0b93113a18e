app_name = "queue_booking"

urlpatterns: list = []
