"""The apps' static files, less what no page uses: django-ninja ships ReDoc beside Swagger UI
(and a source map of each); the API's docs page is Swagger UI, so ReDoc (4 MB) is never
collected, compressed or served."""

from django.contrib.staticfiles import finders

SKIPPED = ["ninja/redoc*", "redoc*"]


class AppDirectoriesFinder(finders.AppDirectoriesFinder):
    def list(self, ignore_patterns):
        return super().list([*(ignore_patterns or []), *SKIPPED])
