"""Searching enterprises: a two-character term finds exactly what ``icontains`` finds,
and on PostgreSQL the bigram indexes (outreach/0017) answer it whatever wrote the rows."""

from __future__ import annotations

from contextlib import contextmanager

import factory
import pytest
from django.db import connection
from django.db.models import Q
from django.urls import reverse

from outreach import selectors
from outreach.models import Enterprise
from outreach.registry import enterprise_merge, enterprise_update
from outreach.search import containing
from tests.factories import EnterpriseFactory, uscc_for

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="the bigram function and indexes exist on PostgreSQL only (SQLite keeps LIKE)",
)

# Terms as people type them: two Chinese characters, a code's two letters in either case,
# two digits, LIKE's own wildcards, and one and three characters (other paths).
TERMS = ["恒信", "信特", "钢铁", "AB", "ab", "35", "5%", "_1", "恒", "恒信特", "王建"]


@pytest.fixture
def registry(world):
    """Enterprises holding the terms in each searched field, and some that nearly do."""
    branch = world.a.branch
    rows = [
        {"name": "恒信特钢有限公司"},
        {"name": "泉州恒信机械厂"},
        {"name": "恒 信锅炉厂"},  # the two characters apart: no match
        {"name": "信恒电梯公司"},  # reversed: no match
        {"name": "福建钢铁集团", "contact_name": "王建国"},
        {"name": "Abacus起重机", "contact_phone": "0595-35%12"},
        {"name": "厦门AB_1压力容器"},
        {"name": "漳州某厂", "contact_name": "恒信"},
        {"name": "龙岩某厂", "uscc": uscc_for("9135AB000000000AB")},
        {"name": "已撤回的恒信厂", "withdrawn": True},
    ]
    return [EnterpriseFactory(branch=branch, **row) for row in rows]


def plain_search(queryset, term):
    """The search before the bigram indexes: icontains alone."""
    return queryset.filter(
        Q(name__icontains=term)
        | Q(uscc__icontains=term.upper())
        | Q(contact_name__icontains=term)
        | Q(contact_phone__icontains=term)
    )


@pytest.mark.parametrize("term", TERMS)
def test_search_finds_what_icontains_finds_in_the_same_order(client, registry, staff_a, term):
    client.force_login(staff_a)
    url = reverse("outreach:enterprise_list")
    listed = [e.pk for e in client.get(url, {"q": term}).context["paginator"].object_list]
    expected = list(
        plain_search(selectors.enterprise_list(staff_a), term).values_list("pk", flat=True)
    )
    assert listed == expected
    if term == "恒信":
        assert len(expected) == 3  # two names and a contact; not the withdrawn one
    picked = [row["pk"] for row in selectors.enterprises_matching(staff_a, term, limit=100)]
    reference = Enterprise.objects.active().filter(
        Q(name__icontains=term) | Q(uscc__icontains=term.upper())
    )
    assert sorted(picked) == sorted(reference.values_list("pk", flat=True))


def test_two_characters_use_the_bigram_condition_only_on_postgresql(registry):
    everyone = Enterprise.objects.all()
    sql = str(everyone.filter(containing(everyone, name="恒信")).query)
    three = str(everyone.filter(containing(everyone, name="恒信特")).query)
    assert ("outreach_bigrams" in sql) == (connection.vendor == "postgresql")
    assert "outreach_bigrams" not in three


# --- PostgreSQL: the indexes -------------------------------------------------------------


@contextmanager
def index_only_search():
    """Sequential and plain index scans off for the block (a whole B-tree read in order is
    an index scan too), so the rows found come from a bitmap of a GIN index."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = on; SET LOCAL enable_indexscan = on")


def by_bigram(field: str, term: str) -> set[int]:
    """Enterprises whose ``field`` holds ``term``'s bigram, found through its index."""
    found = Enterprise.objects.filter(**{f"{field}__bigrams": term})
    with index_only_search():
        assert f"enterprise_{field}_bigrams" in found.explain()
        return set(found.values_list("pk", flat=True))


def bigrams(text: str) -> list[str]:
    text = text.upper()
    return sorted({text[i : i + 2] for i in range(len(text) - 1)})


@on_postgresql
def test_the_bigram_function_gives_each_distinct_pair_of_characters():
    with connection.cursor() as cursor:
        for text in ["恒信特钢恒信", "Ab1", "a", "", "恒 信"]:
            cursor.execute("SELECT outreach_bigrams(UPPER(%s))", [text])
            assert sorted(cursor.fetchone()[0]) == bigrams(text)


@on_postgresql
def test_a_two_character_search_is_answered_by_the_bigram_indexes(registry, staff_a):
    search = selectors.enterprise_list(staff_a).filter(
        containing(Enterprise.objects.all(), name="恒信", uscc="恒信", contact_name="恒信")
    )
    with connection.cursor() as cursor:  # with statistics of a small table too
        cursor.execute("ANALYZE outreach_enterprise")
    with index_only_search():
        plan = search.explain()
    for column in ("name", "uscc", "contact_name"):
        assert f"enterprise_{column}_bigrams" in plan, plan


@on_postgresql
def test_the_index_follows_every_kind_of_write(world, office):
    """Create, save, update_fields, bulk_create, queryset.update, the registry's update,
    a merge and raw SQL: the index finds each row by its current text only."""
    branch = world.a.branch
    created = EnterpriseFactory(branch=branch, name="恒信特钢")
    assert created.pk in by_bigram("name", "恒信")

    created.name = "福安电机"
    created.save()
    assert created.pk not in by_bigram("name", "恒信")
    assert created.pk in by_bigram("name", "电机")

    created.contact_name = "林恒信"
    created.save(update_fields=["contact_name"])
    assert created.pk in by_bigram("contact_name", "恒信")

    bulk = Enterprise.objects.bulk_create(
        [Enterprise(branch=branch, name="宁德锅炉", name_key="宁德锅炉")]
    )[0]
    assert bulk.pk in by_bigram("name", "锅炉")

    Enterprise.objects.filter(pk=bulk.pk).update(name="宁德压力容器", contact_phone="0593-88")
    assert bulk.pk not in by_bigram("name", "锅炉")
    assert bulk.pk in by_bigram("name", "容器")
    assert bulk.pk in by_bigram("contact_phone", "88")

    enterprise_update(actor=office, enterprise=created, name="福安起重机", uscc="")
    assert created.pk in by_bigram("name", "重机")
    assert created.pk not in by_bigram("name", "电机")

    # A merge fills the survivor's empty code from the duplicate's.
    duplicate = EnterpriseFactory(branch=world.b.branch, uscc=uscc_for("91350500XY0000001"))
    enterprise_merge(actor=office, survivor=created, duplicate=duplicate, reason="同一家企业")
    assert by_bigram("uscc", "XY") == {created.pk}  # not the duplicate's, now empty

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE outreach_enterprise SET name = %s WHERE id = %s", ["漳州恒信", bulk.pk]
        )
    assert bulk.pk in by_bigram("name", "恒信")
    assert bulk.pk not in by_bigram("name", "容器")

    # Every row, as it is now, is found by each of its own bigrams.
    for enterprise in Enterprise.objects.all():
        for pair in bigrams(enterprise.name):
            assert enterprise.pk in by_bigram("name", pair)


@pytest.mark.parametrize("rows", [10, 200])
@pytest.mark.parametrize("term", ["恒信", "恒信特钢"])
def test_a_search_costs_the_same_queries_as_the_plain_list(
    client, staff_a, branch_a, rows, term, django_assert_num_queries
):
    EnterpriseFactory.create_batch(rows, branch=branch_a, name=factory_name(term))
    client.force_login(staff_a)
    client.get(reverse("reports:home"))
    # As the list (test_enterprise_views): session, user, membership, the filter's branches,
    # counties, equipment classes and campaigns, count, page, unread count.
    with django_assert_num_queries(10):
        response = client.get(reverse("outreach:enterprise_list"), {"q": term})
    assert response.context["paginator"].count == rows


def factory_name(term):
    """Numbered names holding ``term`` (a county allows one active enterprise per name)."""
    return factory.Sequence(lambda n: f"泉州{term}机械{n}厂")
