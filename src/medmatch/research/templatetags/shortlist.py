from django import template

from medmatch.research.models import ShortlistItem

register = template.Library()


@register.simple_tag(takes_context=True)
def shortlist_item_for(context, program):
    """The id of the user's shortlist item for ``program``, or None.

    One query per request however many buttons a page shows (a results list, recommendations).
    """
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return None
    shortlisted = getattr(request, "_shortlisted_programs", None)
    if shortlisted is None:
        shortlisted = dict(
            ShortlistItem.objects.for_student(request.user).values_list("program_id", "pk")
        )
        request._shortlisted_programs = shortlisted
    return shortlisted.get(program.pk)
