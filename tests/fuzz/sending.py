"""Sending one fuzzed request and judging the answer: never a 500, and a refused POST writes
nothing.

Each request runs in a savepoint that is rolled back afterwards (the client's cookies are put
back too), so every request meets the same world: an accepted form does not move an issue on
and hide the forms the next requests aim at. Whether a POST wrote anything is read from the row
counts of every domain table (history included) before and after it, in one query.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib import messages
from django.db import connection, transaction

#: Apps whose tables hold what users write. Sessions and django-axes' login records are
#: written by refused requests on purpose (a failed login is counted), so they are left out,
#: and so is a submission's receipt (``core.SubmissionReceipt``): a refusal that redirects
#: keeps one, so that the same form sent again gets the same answer.
DOMAIN_APPS = (
    "auth",
    "admin",
    "core",
    "branches",
    "outreach",
    "issues",
    "imports",
    "notifications",
)


def _count_query() -> str:
    tables = sorted(
        model._meta.db_table
        for model in apps.get_models()
        if model._meta.app_label in DOMAIN_APPS
        and model._meta.managed
        and model._meta.model_name != "submissionreceipt"
    )
    quote = connection.ops.quote_name
    # Table names from the models, not from input.
    columns = ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)  # noqa: S608
    return tables, f"SELECT {columns}"


def row_counts() -> dict[str, int]:
    tables, query = _count_query()
    with connection.cursor() as cursor:
        cursor.execute(query)
        return dict(zip(tables, cursor.fetchone(), strict=True))


@dataclass
class Failure:
    persona: str
    method: str
    url: str
    data: dict
    problem: str

    def __str__(self) -> str:
        shown = {
            key: (value[:3] if isinstance(value, list) else value)
            for key, value in self.data.items()
        }
        text = repr(shown)
        return f"{self.persona} {self.method.upper()} {self.url} {text[:400]}: {self.problem}"


@dataclass
class Sender:
    """A logged-in test client that sends requests and records what went wrong."""

    client: object
    persona: str
    failures: list[Failure] = field(default_factory=list)
    sent: int = 0

    def send(self, method: str, url: str, data: dict | None = None):
        data = data or {}
        cookies = copy.deepcopy(self.client.cookies)
        problem = None
        response = None
        with transaction.atomic():
            before = row_counts() if method == "post" else None
            try:
                response = getattr(self.client, method)(url, data)
            except Exception as error:  # the test reports it as a 500, with the others
                problem = f"500: {type(error).__name__}: {error}"[:600]
            else:
                if response.status_code >= 500:
                    problem = f"answered {response.status_code}"
                elif method == "post" and refused(response):
                    after = row_counts()
                    changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
                    if changed:
                        problem = f"refused ({response.status_code}) but wrote {changed}"
            transaction.set_rollback(True)
        self.client.cookies = cookies
        self.sent += 1
        if problem:
            self.failures.append(Failure(self.persona, method, url, data, problem))
        return response


def refused(response) -> bool:
    """A POST answered with anything but a redirect, or with a redirect and an error message."""
    if response.status_code not in (301, 302, 303):
        return True
    if "/accounts/login/" in response.get("Location", ""):
        return True
    storage = getattr(response.wsgi_request, "_messages", None)
    queued = getattr(storage, "_queued_messages", [])
    levels = {message.level for message in queued}
    return messages.ERROR in levels and messages.SUCCESS not in levels
