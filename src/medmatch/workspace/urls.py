from medmatch.workspace.views import review, slots, submit

app_name = "workspace"

urlpatterns = [*submit.urlpatterns, *review.urlpatterns, *slots.urlpatterns]
