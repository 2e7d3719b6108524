from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "medmatch.api"
    verbose_name = "API: the JSON API and personal access tokens"

    def export_user_data(self, user) -> dict:
        from medmatch.api.models import AccessToken

        tokens = AccessToken.objects.for_student(user).order_by("created_at", "pk")
        return {"access_tokens": [token.to_export() for token in tokens]}
