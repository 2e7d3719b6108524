app_name = "interviews"

urlpatterns = []
