"""The OpenAPI schema is built once per process and handed out as a copy."""

import json

from medmatch.api.main import api


def test_it_serves_the_schema_it_builds_for_the_api(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    assert response.json() == json.loads(json.dumps(api.get_openapi_schema()))
    assert "/api/v1/catalog/programs" in response.json()["paths"]


def test_it_builds_the_schema_once(monkeypatch):
    api.get_openapi_schema()
    built = []
    monkeypatch.setattr(
        "ninja.NinjaAPI.get_openapi_schema", lambda *args, **kwargs: built.append(1) or {}
    )

    assert api.get_openapi_schema()["paths"]
    assert built == []


def test_it_hands_out_copies_a_caller_may_change():
    api.get_openapi_schema()["paths"].clear()

    assert api.get_openapi_schema()["paths"]
