"""Cursor pagination for every list endpoint: ``?limit=`` (1..100) and an opaque ``?cursor=``
taken from the previous page's ``next_cursor`` (null on the last page).

A cursor is signed (``django.core.signing``, salted with the list's name), so it cannot be forged
or moved to another list, and it is one of two kinds:

- a *keyset* cursor, for lists ordered in SQL: the last row's sort key and id. The next page is
  the rows after that pair, so rows added or removed meanwhile never shift the pages;
- a *position* cursor, for lists the engines order (catalog search by distance or relevance,
  recommendations by fit): the next position and the page size. These orders are computed per
  request, so a position is the only stable handle on them.
"""

import json
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q, QuerySet
from ninja import Field, Schema

from medmatch.api.errors import ApiError

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_POSITION = 10_000_000
BAD_CURSOR = "not a cursor of this list; use the next_cursor of the page before, unchanged"


class PageParams(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page, 1..100.")
    cursor: str | None = Field(
        None, max_length=500, description="The previous page's next_cursor; none for the first."
    )


def _signer(name: str) -> signing.Signer:
    return signing.Signer(salt=f"medmatch.api.cursor.{name}")


def encode(name: str, payload: dict) -> str:
    return _signer(name).sign_object(payload, serializer=_Serializer, compress=True)


def decode(name: str, cursor: str) -> dict:
    try:
        payload = _signer(name).unsign_object(cursor, serializer=_Serializer)
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        raise ApiError(422, f"cursor: {BAD_CURSOR}.", [_field()]) from None
    if not isinstance(payload, dict):
        raise ApiError(422, f"cursor: {BAD_CURSOR}.", [_field()])
    return payload


def _field() -> dict:
    return {"field": "cursor", "reason": BAD_CURSOR}


class _Serializer:
    def dumps(self, obj):
        return json.dumps(obj, cls=DjangoJSONEncoder, separators=(",", ":")).encode("latin-1")

    def loads(self, data):
        return json.loads(data.decode("latin-1"))


@dataclass(frozen=True)
class KeysetPage:
    items: list
    next_cursor: str | None


def keyset_page(queryset: QuerySet, params: PageParams, *, name: str, key: str) -> KeysetPage:
    """One page of ``queryset`` ordered by (``key``, pk), both ascending; ``key`` is a non-null
    field (or "pk" alone)."""
    field = queryset.model._meta.pk if key == "pk" else queryset.model._meta.get_field(key)
    queryset = queryset.order_by(key, "pk") if key != "pk" else queryset.order_by("pk")
    if params.cursor:
        payload = decode(name, params.cursor)
        try:
            raw_value, last_pk = payload["after"]
            value = field.to_python(raw_value)
            last_pk = int(last_pk)
        except (KeyError, ValueError, TypeError, ValidationError):
            raise ApiError(422, f"cursor: {BAD_CURSOR}.", [_field()]) from None
        if key == "pk":
            queryset = queryset.filter(pk__gt=last_pk)
        else:
            queryset = queryset.filter(
                Q(**{f"{key}__gt": value}) | Q(**{key: value, "pk__gt": last_pk})
            )
    rows = list(queryset[: params.limit + 1])
    more, rows = len(rows) > params.limit, rows[: params.limit]
    next_cursor = None
    if more and rows:
        last = rows[-1]
        value = last.pk if key == "pk" else getattr(last, field.attname)
        if hasattr(value, "isoformat"):
            value = value.isoformat()  # to the microsecond (the JSON encoder keeps milliseconds)
        next_cursor = encode(name, {"after": [value, last.pk]})
    return KeysetPage(rows, next_cursor)


@dataclass(frozen=True)
class Position:
    start: int  # 0-based position of the page's first item
    limit: int

    def next_cursor(self, name: str, total: int) -> str | None:
        end = self.start + self.limit
        return encode(name, {"at": end, "size": self.limit}) if end < total else None


def position(params: PageParams, *, name: str) -> Position:
    """Where a position-paged list starts; a cursor carries the page size it was made with."""
    if not params.cursor:
        return Position(0, params.limit)
    payload = decode(name, params.cursor)
    start, size = payload.get("at"), payload.get("size")
    if not (isinstance(start, int) and isinstance(size, int)):
        raise ApiError(422, f"cursor: {BAD_CURSOR}.", [_field()])
    if not (0 <= start <= MAX_POSITION and 1 <= size <= MAX_LIMIT):
        raise ApiError(422, f"cursor: {BAD_CURSOR}.", [_field()])
    return Position(start, size)
