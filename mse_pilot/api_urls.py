app_name = "mse_pilot-api"

urlpatterns: list = []
