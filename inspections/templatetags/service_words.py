from django import template

register = template.Library()


@register.filter
def words(rules, text: str) -> str:
    """`text`, written for a police report, in the words of `rules`' service
    (inspections.services): {{ rules|words:"The chief constable's comments" }}."""
    return rules.words(text)
