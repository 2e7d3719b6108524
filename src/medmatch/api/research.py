"""A student's shortlist: list (by tag), one item, add a program, change an item's note, tags
and rating, remove an item — through the shortlist page's access helper (another student's item
is a 404), its form and its services."""

import datetime

from django.http import QueryDict
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from medmatch.api.auth import student_auth
from medmatch.api.errors import ApiError, form_fields
from medmatch.api.pagination import PageParams, keyset_page
from medmatch.api.schemas import ERRORS, responses
from medmatch.catalog.models import Program
from medmatch.lib.forms import MAX_INT
from medmatch.research.forms.shortlist import ShortlistItemForm
from medmatch.research.models import ShortlistItem
from medmatch.research.services import shortlist_add, shortlist_remove, shortlist_update
from medmatch.research.views.shortlist import get_item

router = Router(tags=["shortlist"], auth=student_auth("research"))


class ShortlistFilters(PageParams):
    tag: str = Field(
        "", max_length=40, pattern=r"^[^\x00]*$", description="Only items with this tag."
    )


class ProgramRef(Schema):
    id: int
    title: str
    institution: str


class ShortlistItemOut(Schema):
    id: int
    program: ProgramRef
    note: str
    rating: int | None  # null: not rated yet
    tags: list[str]
    created_at: datetime.datetime
    updated_at: datetime.datetime


class ShortlistList(Schema):
    items: list[ShortlistItemOut]
    next_cursor: str | None


class ShortlistAdd(Schema):
    program_id: int = Field(..., ge=1, le=MAX_INT, description="The catalog program to keep.")


class ShortlistChange(Schema):
    """Only the fields sent change; the others keep their values."""

    note: str | None = Field(None, max_length=20_000, description='Your note ("" clears it).')
    tags: list[str] | None = Field(
        None, max_length=50, description="All the item's tags (replaces them; [] clears them)."
    )
    # No bounds here: the page's form checks them and says so in its own words.
    rating: int | None = Field(None, description="1 to 5; null: not rated.")


def _out(item: ShortlistItem) -> dict:
    program = item.program
    return {
        "id": item.pk,
        "program": {
            "id": program.pk,
            "title": program.title,
            "institution": program.institution.name,
        },
        "note": item.note,
        "rating": item.rating,
        "tags": sorted(tag.name for tag in item.tags.all()),
        "created_at": item.created_at,
        "updated_at": item.updated_at,
    }


@router.get("/shortlist", response=responses(ShortlistList), url_name="shortlist")
def list_shortlist(request, filters: Query[ShortlistFilters]):
    """Your shortlist, in the order you added to it."""
    items = ShortlistItem.objects.for_student(request.user).with_program().prefetch_related("tags")
    if filters.tag:
        items = items.tagged(filters.tag)
    page = keyset_page(items, filters, name="shortlist", key="pk")
    return {"items": [_out(item) for item in page.items], "next_cursor": page.next_cursor}


@router.post("/shortlist", response=responses(ShortlistItemOut, 200, 201), url_name="shortlist_add")
def add_to_shortlist(request, payload: ShortlistAdd):
    """Keep a program on your shortlist; keeping it twice answers the first item (200)."""
    program = get_object_or_404(Program, pk=payload.program_id)
    item, created = shortlist_add(student=request.user, program=program)
    return Status(201 if created else 200, _out(get_item(request, item.pk)))


@router.get("/shortlist/{int:pk}", response=responses(ShortlistItemOut), url_name="shortlist_item")
def show_shortlist_item(request, pk: int):
    """One shortlist item with its note, rating and tags."""
    return _out(get_item(request, pk))


@router.patch(
    "/shortlist/{int:pk}", response=responses(ShortlistItemOut), url_name="shortlist_edit"
)
def change_shortlist_item(request, pk: int, payload: ShortlistChange):
    """Change the note, the tags or the rating, through the shortlist page's form (the same
    limits: 12 tags of 40 characters, lowercased and each kept once; a rating of 1 to 5)."""
    item = get_item(request, pk)
    sent = payload.model_dump(exclude_unset=True)
    if any("," in tag for tag in sent.get("tags") or []):
        reason = "a tag cannot contain a comma"
        raise ApiError(422, f"tags: {reason}.", [{"field": "tags", "reason": reason}])
    if sent.get("note", "") is None:
        sent["note"] = ""
    values = {
        "note": sent.get("note", item.note),
        "tags": ", ".join(sent["tags"] if sent.get("tags") is not None else item.tag_names),
        "rating": sent.get("rating", item.rating),
    }
    form = ShortlistItemForm.for_item(item)
    data = QueryDict(mutable=True)
    for name, value in values.items():
        data[form.add_prefix(name)] = "" if value is None else str(value)
    form = ShortlistItemForm.for_item(item, data)
    if not form.is_valid():
        raise ApiError(422, "The shortlist item was not saved.", form_fields(form))
    shortlist_update(item=item, **form.cleaned_data)
    return _out(get_item(request, pk))


@router.delete("/shortlist/{int:pk}", response={204: None, **ERRORS}, url_name="shortlist_remove")
def remove_from_shortlist(request, pk: int):
    """Take a program off your shortlist."""
    shortlist_remove(item=get_item(request, pk))
    return Status(204, None)
