from django.urls import path

from medmatch.letters import views

app_name = "letters"

urlpatterns = [
    path("", views.show_letters, name="index"),
    path("recommenders/new/", views.create_recommender, name="recommender_create"),
    path("recommenders/<int:pk>/", views.edit_recommender, name="recommender_edit"),
    path("recommenders/<int:pk>/delete/", views.delete_recommender, name="recommender_delete"),
    path("requests/new/", views.create_request, name="request_create"),
    path("requests/<int:pk>/", views.show_request, name="request_detail"),
    path("requests/<int:pk>/edit/", views.edit_request, name="request_edit"),
    path("requests/<int:pk>/delete/", views.delete_request, name="request_delete"),
    path("requests/<int:pk>/packet.pdf", views.download_packet, name="packet"),
    path("requests/<int:pk>/send/", views.send_request, name="send"),
    path("requests/<int:pk>/uploaded/", views.record_service_upload, name="service_upload"),
    path("requests/<int:pk>/links/", views.create_link, name="link_create"),
    path("requests/<int:pk>/letter.pdf", views.download_letter, name="letter_download"),
    path("links/<int:pk>/revoke/", views.revoke_link, name="link_revoke"),
    path("upload/<int:request_pk>/<str:token>/", views.portal, name="portal"),
]
