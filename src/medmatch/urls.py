from django.contrib import admin
from django.urls import include, path

from medmatch import views

urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.start, name="start"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("accounts/tokens/", include("medmatch.api.urls")),
    path("accounts/", include("medmatch.accounts.urls")),
    path("catalog/", include("medmatch.catalog.urls")),
    path("goals/", include("medmatch.goals.urls")),
    path("research/", include("medmatch.research.urls")),
    path("applications/", include("medmatch.applications.urls")),
    path("letters/", include("medmatch.letters.urls")),
    path("interviews/", include("medmatch.interviews.urls")),
    path("contributions/", include("medmatch.contributions.urls")),
    # The program side: staff pages under /workspace/, students' submissions under /submissions/.
    path("", include("medmatch.workspace.urls")),
    path("match/", include("medmatch.cycles.urls")),
    path("admin/", admin.site.urls),
    # The JSON API (docs at /api/v1/docs); its own 404 for paths it does not know.
    path("api/v1/", include("medmatch.api.main")),
]
