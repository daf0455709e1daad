"""How people's names are shown: Chinese names surname first, without a space."""

import re

from django import template

register = template.Library()

CJK = re.compile(r"[\u3400-\u9fff]")


def person_name(user) -> str:
    """张三 for Chinese names, "Jane Smith" for others, the username when no name is set."""
    if user is None:
        return ""
    first, last = (user.first_name or "").strip(), (user.last_name or "").strip()
    if not first and not last:
        return user.get_username()
    if CJK.search(first + last):
        return f"{last}{first}"
    return f"{first} {last}".strip()


register.filter("person", person_name)
