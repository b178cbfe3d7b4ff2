from django import template

from inspections.richtext import render

register = template.Library()


@register.filter
def richtext(value):
    return render(value)
