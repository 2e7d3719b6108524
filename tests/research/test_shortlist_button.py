import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from tests.research.conftest import shortlist_for

pytestmark = pytest.mark.django_db

BUTTON = Template(
    '{% for program in programs %}{% include "research/_shortlist_button.html" %}{% endfor %}'
)


def _render(user, programs):
    request = RequestFactory().get("/catalog/programs/")
    request.user = user
    request.htmx = False
    return BUTTON.render(Context({"programs": programs, "request": request, "user": user}))


def test_it_offers_add_or_remove_by_what_is_on_the_shortlist(alice, programs):
    [item] = shortlist_for(alice, programs["mgh_cardiology"])
    html = _render(alice, [programs["mgh_cardiology"], programs["mgh_pediatrics"]])
    assert reverse("research:remove", args=[item.pk]) in html
    assert reverse("research:add", args=[programs["mgh_pediatrics"].pk]) in html
    assert 'name="next" value="/catalog/programs/"' in html


def test_it_asks_an_anonymous_visitor_to_log_in(programs):
    from django.contrib.auth.models import AnonymousUser

    html = _render(AnonymousUser(), [programs["mgh_cardiology"]])
    assert "Log in to shortlist" in html
    assert "/accounts/login/?next=/catalog/programs/" in html


def test_it_looks_the_shortlist_up_once_for_many_buttons(
    alice, programs, django_assert_num_queries
):
    shortlist_for(alice, programs["mgh_cardiology"])
    with django_assert_num_queries(1):
        _render(alice, list(programs.values()))
