app_name = "expert_registry-api"

urlpatterns: list = []
