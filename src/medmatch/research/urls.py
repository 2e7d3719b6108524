from django.urls import path

from medmatch.research import views

app_name = "research"

urlpatterns = [
    path("", views.show_shortlist, name="shortlist"),
    path("add/<int:program_pk>/", views.add_to_shortlist, name="add"),
    path("items/<int:pk>/", views.show_shortlist_item, name="item"),
    path("items/<int:pk>/edit/", views.edit_shortlist_item, name="edit"),
    path("items/<int:pk>/remove/", views.remove_from_shortlist, name="remove"),
    path("compare/", views.compare_shortlisted, name="compare"),
    path("contacts/", views.list_contacts, name="contacts"),
    path("contacts/add/", views.add_contact, name="contact_add"),
    path("contacts/<int:pk>/", views.show_contact, name="contact"),
    path("contacts/<int:pk>/edit/", views.edit_contact, name="contact_edit"),
    path("contacts/<int:pk>/delete/", views.delete_contact, name="contact_delete"),
    path(
        "contacts/<int:pk>/conversations/add/",
        views.add_conversation,
        name="conversation_add",
    ),
    path("conversations/<int:pk>/edit/", views.edit_conversation, name="conversation_edit"),
    path("conversations/<int:pk>/delete/", views.delete_conversation, name="conversation_delete"),
    path("conversations/<int:pk>/follow-up-done/", views.finish_follow_up, name="follow_up_done"),
    path("questions/", views.list_open_questions, name="questions"),
    path("questions/items/<int:pk>/", views.show_program_questions, name="program_questions"),
    path("questions/<int:pk>/answer/", views.answer_question, name="answer"),
    path("questions/<int:pk>/reopen/", views.reopen_question, name="reopen"),
    path("reviews/write/<int:program_pk>/", views.write_review, name="review_write"),
    path("briefing/<int:pk>/", views.show_briefing, name="briefing"),
    path("briefing/<int:pk>/pdf/", views.download_briefing_pdf, name="briefing_pdf"),
]
