from medmatch.letters.views.portal import portal
from medmatch.letters.views.recommenders import (
    create_recommender,
    delete_recommender,
    edit_recommender,
    show_letters,
)
from medmatch.letters.views.requests import (
    create_link,
    create_request,
    delete_request,
    download_letter,
    download_packet,
    edit_request,
    record_service_upload,
    revoke_link,
    send_request,
    show_request,
)

__all__ = [
    "create_link",
    "create_recommender",
    "create_request",
    "delete_recommender",
    "delete_request",
    "download_letter",
    "download_packet",
    "edit_recommender",
    "edit_request",
    "portal",
    "record_service_upload",
    "revoke_link",
    "send_request",
    "show_letters",
    "show_request",
]
