"""Lets inspection pages show their response without the inspections app importing this one."""

from django import template
from django.core.exceptions import ObjectDoesNotExist

from responses import workflow

register = template.Library()


@register.filter
def response_of(inspection):
    """The inspection's response, or None when nobody has started one."""
    try:
        return inspection.response
    except ObjectDoesNotExist:
        return None


@register.inclusion_tag("responses/_response_panel.html", takes_context=True)
def response_panel(context, inspection):
    response = response_of(inspection)
    return {
        "inspection": inspection,
        "response": response,
        "holder": workflow.holder(response),
        "perms": context.get("perms"),
        "csrf_token": context.get("csrf_token"),
    }
