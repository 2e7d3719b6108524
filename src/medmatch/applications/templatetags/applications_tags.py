from django import template

from medmatch.applications.models import Application

register = template.Library()


@register.simple_tag(takes_context=True)
def application_for(context, program):
    """The id of the user's application to ``program``, or None.

    One query per request however many buttons a page shows.
    """
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return None
    tracked = getattr(request, "_tracked_programs", None)
    if tracked is None:
        tracked = dict(
            Application.objects.for_student(request.user).values_list("program_id", "pk")
        )
        request._tracked_programs = tracked
    return tracked.get(program.pk)


@register.inclusion_tag("applications/_marker.html")
def marker(state, day=None):
    return {"state": state, "day": day}


@register.simple_tag
def deadline_state(application, today):
    return application.deadline_state(today)


@register.simple_tag
def requirement_state(requirement, today):
    return requirement.due_state(today)


@register.simple_tag
def statuses():
    return Application.Status.choices
