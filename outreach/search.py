"""Text search of enterprises: ``icontains``, which PostgreSQL answers from an index.

A term of three characters or more is served by the trigram indexes (migration 0009) as
it is. A two-character term has no whole trigram, so each field's ``icontains`` is also
narrowed by ``field__bigrams``: the term's bigram is one of the field's (implied by
the ``icontains``, so the rows are the same), which the bigram indexes of migration 0017
answer. SQLite has neither index and keeps the plain ``icontains``.
"""

from __future__ import annotations

from django.db import NotSupportedError, connections
from django.db.models import Lookup, Q, QuerySet

#: The term length the bigram indexes serve; longer terms have trigrams.
BIGRAM_TERM_LENGTH = 2
#: The enterprise fields that have a bigram index (migration 0017).
BIGRAM_FIELDS = ("name", "uscc", "contact_name", "contact_phone")


class BigramsContain(Lookup):
    """``field__bigrams=term``: every two-character substring of ``UPPER(term)`` is one of
    ``UPPER(field)``'s. Written as the indexes are, ``outreach_bigrams(UPPER(col::text))``,
    so PostgreSQL uses them; a coarse filter, always paired with ``icontains``."""

    lookup_name = "bigrams"

    def as_sql(self, compiler, connection):
        raise NotSupportedError("The bigram lookup needs PostgreSQL (outreach/0017).")

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        sql = f"outreach_bigrams(UPPER({lhs}::text)) @> outreach_bigrams(UPPER({rhs}))"
        return sql, (*lhs_params, *rhs_params)


def register_bigram_lookups(model) -> None:
    """Give ``model``'s indexed fields the ``bigrams`` lookup (those fields only)."""
    for name in BIGRAM_FIELDS:
        model._meta.get_field(name).register_lookup(BigramsContain)


def containing(queryset: QuerySet, **terms: str) -> Q:
    """Rows of ``queryset`` where any of the fields contains its term, ignoring case:
    ``containing(qs, name=term, uscc=term.upper())``. The same rows on every database."""
    condition = Q()
    for field, term in terms.items():
        condition |= Q(**{f"{field}__icontains": term})
    postgresql = connections[queryset.db].vendor == "postgresql"
    if postgresql and all(len(term) == BIGRAM_TERM_LENGTH for term in terms.values()):
        # "Any field holds its bigram" AND "any field contains its term": the same rows,
        # as each field's icontains implies its bigram. Kept apart, the first is the
        # bitmap scan's whole condition, not rechecked row by row (the function is not
        # free: ~15 µs a row).
        bigrams = Q()
        for field, term in terms.items():
            bigrams |= Q(**{f"{field}__bigrams": term})
        condition = bigrams & condition
    return condition
