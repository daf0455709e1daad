"""How people's names are shown: Chinese names surname first, without a space."""

import re

from django import template

register = template.Library()

CJK = re.compile(r"[\u3400-\u9fff]")


def person_name(user) -> str:
    """张三 for Chinese names, "Jane Smith" for others, the username when no name is set."""
    if user is None:
        return ""
    return name_from_parts(user.first_name, user.last_name, user.get_username())


def name_from_parts(first: str | None, last: str | None, username: str) -> str:
    """``person_name`` from the columns themselves (exports read rows, not users)."""
    first, last = (first or "").strip(), (last or "").strip()
    if not first and not last:
        return username or ""
    if CJK.search(first + last):
        return f"{last}{first}"
    return f"{first} {last}".strip()


register.filter("person", person_name)
