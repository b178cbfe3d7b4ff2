from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter(is_safe=True)
def back_landmark(content: str) -> str:
    """Wraps the back links above <main> in a navigation landmark, so that no content sits
    outside a landmark; renders nothing when a page has no back link, so no empty landmark."""
    if not content.strip():
        return ""
    return format_html('<nav aria-label="Back">{}</nav>', content)
