"""Ownership is said once, by each model's ``OwnedQuerySet.owner_path``, and ``get_owned_or_404``
reads it from there. Every model that reaches a user through its foreign keys has such a queryset,
unless it is listed below as shared content with an author rather than an owner."""

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from medmatch.accounts.models import User
from medmatch.lib.access import get_owned_or_404
from medmatch.lib.models import OwnedQuerySet

# Rows whose user is an author, a proposer or a staff reviewer of something others may see once it
# is approved: who sees them is decided by their queryset's ``visible_to``, not by an owner.
SHARED = {
    "research.Review": "a program review: its author's until staff approve it, then everyone's",
    "contributions.Coordinatorship": "a request to speak for an institution, judged by staff",
    "contributions.FactProposal": "a proposed catalog fact, judged by staff",
    "contributions.FactChange": "the public history of a program's facts",
}
# The program staff's own rows about a student's submission: never the student's, fetched only
# through ``workspace.access`` (limited to the programs the user is verified staff of).
PROGRAM_STAFF = {
    "workspace.Review": "a reviewer's scores and note, private to the program's staff",
    "workspace.DecisionChange": "the history of a program's decision on a submission",
    "cycles.ProgramRankList": "a program's rank list in a match cycle, certified by its director",
    "cycles.ProgramRankEntry": "a student's place on a program's rank list",
}
# A match cycle's own rows, reached only by match administrators (``cycles.access``); they name
# the administrator who made them, not an owner.
MATCH_ADMINISTRATION = {
    "cycles.MatchCycle": "a match cycle, run by match administrators",
    "cycles.CycleRegion": "a region with a cap in a cycle",
    "cycles.CycleProgram": "a program taking part in a cycle, with its quota",
    "cycles.CycleAuditEntry": "the history of a cycle's changes",
    "cycles.MatchRun": "one run of a cycle's match",
}
MAXIMUM_DEPTH = 4


def project_models():
    return [model for model in apps.get_models() if model.__module__.startswith("medmatch.")]


def paths_to_user(model, depth: int = MAXIMUM_DEPTH, seen=()) -> list[str]:
    """Every chain of forward foreign keys (and one-to-ones) from ``model`` to the user model."""
    if depth == 0 or model in seen:
        return []
    paths = []
    for field in model._meta.get_fields():
        if not (field.many_to_one or field.one_to_one) or not field.concrete:
            continue
        target = field.related_model
        if target is apps.get_model(settings.AUTH_USER_MODEL):
            paths.append(field.name)
        else:
            paths.extend(
                f"{field.name}__{rest}" for rest in paths_to_user(target, depth - 1, (*seen, model))
            )
    return paths


def label(model) -> str:
    return model._meta.label


def reaches_user(model, path: str) -> bool:
    for name in path.split("__"):
        field = model._meta.get_field(name)
        if not (field.many_to_one or field.one_to_one) or not field.concrete:
            return False
        model = field.related_model
    return model is apps.get_model(settings.AUTH_USER_MODEL)


def test_it_finds_the_models_that_belong_to_someone():
    found = {label(model) for model in project_models() if paths_to_user(model)}
    assert {"applications.StatementVersion", "letters.UploadLink", "research.Insight"} <= found
    assert "catalog.Program" not in found


def test_it_gives_every_model_with_a_path_to_a_user_an_owned_queryset():
    missing = [
        label(model)
        for model in project_models()
        if model is not User
        and paths_to_user(model)
        and label(model) not in SHARED
        and label(model) not in PROGRAM_STAFF
        and label(model) not in MATCH_ADMINISTRATION
        and not isinstance(model._default_manager.all(), OwnedQuerySet)
    ]
    assert missing == [], "give these an OwnedQuerySet (lib/models.py) or list them in SHARED"


def test_it_lists_as_shared_only_models_that_exist_and_own_nothing():
    for name in {**SHARED, **PROGRAM_STAFF, **MATCH_ADMINISTRATION}:
        model = apps.get_model(name)
        assert paths_to_user(model)
        assert not isinstance(model._default_manager.all(), OwnedQuerySet)


def test_it_names_an_owner_path_that_ends_at_a_user():
    for model in project_models():
        queryset = model._default_manager.all()
        if isinstance(queryset, OwnedQuerySet):
            assert reaches_user(model, queryset.owner_path), label(model)


def test_it_refuses_a_model_that_says_nothing_about_its_owner():
    from medmatch.catalog.models import Program

    with pytest.raises(TypeError, match="Program has no OwnedQuerySet"):
        get_owned_or_404(Program, None, pk=1)


@pytest.mark.django_db
def test_it_reads_the_owner_path_from_the_queryset(alice, bob):
    from medmatch.applications.models import Statement, StatementVersion

    statement = Statement.objects.create(student=alice, title="Base")
    version = StatementVersion.objects.create(statement=statement, body="Text")
    assert get_owned_or_404(StatementVersion, alice, pk=version.pk) == version
    assert get_owned_or_404(StatementVersion.objects, alice, pk=version.pk) == version
    assert get_owned_or_404(StatementVersion.objects.all(), alice, pk=version.pk) == version
    with pytest.raises(Http404):
        get_owned_or_404(StatementVersion, bob, pk=version.pk)
    with pytest.raises(Http404):
        get_owned_or_404(StatementVersion, AnonymousUser(), pk=version.pk)
