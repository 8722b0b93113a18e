app_name = "benefits-api"

urlpatterns: list = []
