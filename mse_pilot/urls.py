app_name = "mse_pilot"

urlpatterns: list = []
