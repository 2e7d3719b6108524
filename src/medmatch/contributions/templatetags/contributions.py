"""The program page's links to propose, edit and see the history of its facts (the catalog's
template includes them; the catalog's view knows nothing of this app)."""

from django import template

from medmatch.contributions.coordinators import can_edit_program

register = template.Library()


@register.inclusion_tag("contributions/_program_links.html", takes_context=True)
def program_contribution_links(context, program):
    user = context["request"].user
    return {
        "program": program,
        "signed_in": user.is_authenticated,
        "can_edit": can_edit_program(user, program),
    }
