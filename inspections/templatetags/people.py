from django import template

register = template.Library()


@register.filter
def person(user, default="Nobody"):
    """A user's full name, else their username; `default` when there is no user."""
    if user is None:
        return default
    return user.get_full_name() or user.get_username()
