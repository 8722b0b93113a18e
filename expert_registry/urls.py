app_name = "expert_registry"

urlpatterns: list = []
