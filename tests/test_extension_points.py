"""The extension points of docs/architecture.md are filled once Django has started: each higher app
registers in its AppConfig.ready() what a lower app shows, so the lower app never imports it."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from medmatch.applications import extensions as applications_extensions
from medmatch.applications.models import Application
from medmatch.catalog import extensions as catalog_extensions
from medmatch.contributions import extensions as contributions_extensions
from medmatch.goals import fitting
from medmatch.letters.planning import dashboard_panel_context
from medmatch.research import briefing
from medmatch.research.fit import answered_facts
from medmatch.research.program_page import program_research_context
from medmatch.workspace import submit_extensions


def test_it_fills_every_registry_at_start_up():
    assert program_research_context in catalog_extensions._program_page_panels
    assert answered_facts in fitting._student_fact_providers
    assert dashboard_panel_context in applications_extensions._dashboard_panels
    assert briefing.briefing_subjects().model is Application
    assert submit_extensions.application_panel in applications_extensions._application_panels
    assert submit_extensions.program_links in contributions_extensions._program_links


def test_it_registers_a_provider_once(monkeypatch):
    monkeypatch.setattr(catalog_extensions, "_program_page_panels", [])
    catalog_extensions.register_program_page_panel(program_research_context)
    catalog_extensions.register_program_page_panel(program_research_context)
    assert catalog_extensions._program_page_panels == [program_research_context]


def test_it_merges_panels_in_order_later_wins(monkeypatch):
    monkeypatch.setattr(applications_extensions, "_dashboard_panels", [])
    applications_extensions.register_dashboard_panel(lambda user, on: {"a": 1, "b": 1})
    applications_extensions.register_dashboard_panel(lambda user, on: {"b": 2})
    assert applications_extensions.dashboard_context(None, None) == {"a": 1, "b": 2}


def test_it_says_when_no_app_registered_briefing_subjects(monkeypatch):
    monkeypatch.setattr(briefing, "_briefing_subjects", [])
    with pytest.raises(ImproperlyConfigured, match="briefing subjects"):
        briefing.briefing_subjects()


def test_it_merges_application_links_in_order(monkeypatch):
    monkeypatch.setattr(applications_extensions, "_application_panels", [])
    link = applications_extensions.ApplicationLink
    applications_extensions.register_application_panel(
        lambda user, applications, on: {a.pk: [link("one", "/1/")] for a in applications}
    )
    applications_extensions.register_application_panel(
        lambda user, applications, on: {applications[0].pk: [link("two", "/2/")]}
    )
    first, second = Application(pk=1), Application(pk=2)
    applications_extensions.attach_application_links(None, [first, second], None)
    assert [item.label for item in first.panel_links] == ["one", "two"]
    assert [item.label for item in second.panel_links] == ["one"]
    assert applications_extensions.application_links(None, [], None) == {}
