from django import template

from inspections import richtext as rules

register = template.Library()


@register.filter
def richtext(value):
    """Renders stored rich text as sanitised HTML; the only way templates show it."""
    return rules.render(value)
