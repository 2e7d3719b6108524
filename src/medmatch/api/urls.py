from django.urls import path

from medmatch.api import views

app_name = "tokens"

urlpatterns = [
    path("", views.manage_tokens, name="list"),
    path("<int:pk>/revoke/", views.revoke_token, name="revoke"),
]
