# ruff: noqa: S311 - reproducible sample data, not secrets
"""Time the open issues suggested at intake (``issues:issue_suggestions``) as staff type.

    DATABASE_URL=postgres://outreach:outreach@127.0.0.1:5432/outreach_bench \\
        .venv/bin/python bench/suggestions.py          # the scale data already there
    .venv/bin/python bench/suggestions.py --generate 3000   # no scale data: rows made here

With the province-scale data (``manage.py generate_scale_data``; docs/performance.md) it asks
where the endpoint has the most to sort through: the branch, campaign and category with the
most open issues, as a staff member of that branch, for the enterprise with the most of them,
typing real opinions of that branch letter by letter. Without it (fewer than ``--min-open``
open issues in any such group), or with ``--generate N``, it first makes N open issues of one
branch, campaign and category from the domain's texts, inside a transaction rolled back at
the end: the database is left as it was.

Prints how many open issues the SQL narrows to, jieba's loading (once per process), the first
request (every candidate's text cut for the first time), then the typing: p50, p95 and max of
the requests, their SQL time and query count, and the candidates query's plan on PostgreSQL.
The target (docs/similarity.md): every request within 200 ms at scale 1.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 200


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    # As bench/run serves the pages: production settings, plain HTTP, a throwaway key.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    os.environ.setdefault("DJANGO_SECURE", "false")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + secrets.token_urlsafe(48))
    import django

    django.setup()


def busiest_group(min_open: int):
    """(branch id, campaign id, category id, open issues) with the most open issues."""
    from django.db.models import Count

    from issues.models import Issue

    row = (
        Issue.objects.open()
        .values("branch", "campaign", "category")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    if row is None or row["n"] < min_open:
        return None
    return row["branch"], row["campaign"], row["category"], row["n"]


def generate(count: int, rng: random.Random):
    """``count`` open issues of a new campaign of the first city branch in one category,
    from the reference texts, each with an opinion of one of twenty new enterprises.
    Returns the group as ``busiest_group``."""
    from datetime import date

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from demo.builder.organisation import ensure_organisation
    from issues.models import Issue
    from outreach.models import Activity, Campaign, Enterprise, FeedbackCategory, FeedbackItem
    from similarity.text import REFERENCE_TEXTS

    lines = [
        line.strip()
        for line in REFERENCE_TEXTS.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    city = ensure_organisation(make_password(None)).branches[0]
    branch, county = city.branch, city.counties[0][0]
    campaign = Campaign.objects.create(
        name="意见推荐基准活动",
        code=f"bench-suggestions-{rng.randrange(10**9)}",
        starts_on=date(2026, 1, 1),
    )
    category = FeedbackCategory.objects.get(name="服务效率")
    enterprises = [
        Enterprise.objects.create(name=f"基准测试企业{n}有限公司", branch=branch, county=county)
        for n in range(20)
    ]
    activity = Activity.objects.create(
        campaign=campaign,
        branch=branch,
        kind=Activity.Kind.VISIT,
        title="意见推荐基准走访",
        occurred_on=date(2026, 3, 1),
    )
    now = timezone.now()
    issues = Issue.objects.bulk_create(
        Issue(
            branch=branch,
            campaign=campaign,
            category=category,
            title=rng.choice(lines)[:60],
            description=rng.choice(lines),
            state=rng.choice(["collected", "rectifying", "rectified"]),
            assigned_at=now,
            signed_at=now,
        )
        for _ in range(count)
    )
    FeedbackItem.objects.bulk_create(
        FeedbackItem(
            activity=activity,
            branch=branch,
            enterprise=rng.choice(enterprises),
            category=category,
            content=issue.description,
            received_on=activity.occurred_on,
            issue=issue,
        )
        for issue in issues
    )
    return branch.pk, campaign.pk, category.pk, count


def staff_of(branch_id: int):
    from branches.models import Membership

    membership = (
        Membership.objects.filter(
            branch_id=branch_id, role=Membership.Role.STAFF, user__is_active=True
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user


def busiest_enterprise(branch_id: int, campaign_id: int) -> int | None:
    from django.db.models import Count

    from outreach.models import FeedbackItem

    row = (
        FeedbackItem.objects.filter(
            branch_id=branch_id,
            activity__campaign_id=campaign_id,
            enterprise__isnull=False,
            issue__isnull=False,
            issue__state__in=["collected", "rectifying", "escalated", "rectified"],
        )
        .values("enterprise")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    return row["enterprise"] if row else None


def opinions_typed(branch_id: int, campaign_id: int, category_id: int, rng, count: int):
    from outreach.models import FeedbackItem

    texts = list(
        FeedbackItem.objects.filter(
            branch_id=branch_id, activity__campaign_id=campaign_id, category_id=category_id
        )
        .exclude(content="")
        .values_list("content", flat=True)
        .order_by("-pk")[:200]
    )
    return rng.sample(texts, min(count, len(texts)))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run(args) -> int:
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from issues import suggestions
    from outreach.models import Activity
    from similarity import text as similarity

    rng = random.Random(args.seed)
    url = reverse("issues:issue_suggestions")
    with transaction.atomic():
        group = None if args.generate else busiest_group(args.min_open)
        made = group is None
        if made:
            group = generate(args.generate or 3000, rng)
        branch_id, campaign_id, category_id, open_count = group
        user = staff_of(branch_id)
        enterprise_id = busiest_enterprise(branch_id, campaign_id)
        activity = Activity.objects.filter(branch_id=branch_id, campaign_id=campaign_id).first()
        client = Client()
        client.force_login(user)
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
        print(f"Machine: {os.cpu_count()} CPUs, load average {load} (others' work slows wall time)")
        origin = f"generated here, {open_count} rows (rolled back)" if made else "scale data"
        print(f"Open issues of the busiest branch, campaign and category: {open_count} ({origin})")
        print(
            f"As {user.username}; enterprise #{enterprise_id}; at most "
            f"{suggestions.CANDIDATES} candidates scored per request"
        )

        started = time.perf_counter()
        similarity._jieba()
        similarity.reference()
        print(f"jieba and the reference corpus loaded once: {time.perf_counter() - started:.2f} s")

        def ask(typed: str):
            params = {
                "activity": activity.pk,
                "text": typed,
                "category": category_id,
                "enterprise": enterprise_id or "",
            }
            with CaptureQueriesContext(connection) as queries:
                begun, cpu = time.perf_counter(), time.process_time()
                response = client.get(url, params)
                elapsed = (time.perf_counter() - begun) * 1000
                cpu = (time.process_time() - cpu) * 1000
            if response.status_code != 200:
                raise SystemExit(f"The endpoint answered {response.status_code}")
            sql = sum(float(query["time"]) for query in queries.captured_queries) * 1000
            return elapsed, sql, cpu, len(queries.captured_queries), response

        texts = opinions_typed(branch_id, campaign_id, category_id, rng, args.opinions)
        similarity.features.cache_clear()
        similarity.reference().vector.cache_clear()
        first, first_sql, first_cpu, first_queries, response = ask(texts[0])
        shown = response.content.decode().count('data-testid="suggestion"')
        print(
            f"First request (every candidate's text cut): {first:.0f} ms "
            f"(SQL {first_sql:.1f} ms, Python CPU {first_cpu:.0f} ms, {first_queries} queries, "
            f"{shown} suggested)"
        )
        timings, sql_times, cpu_times, counts = [], [], [], set()
        for typed in texts:
            for end in range(6, len(typed) + 4, 4):  # a request every few characters
                elapsed, sql, cpu, count, _response = ask(typed[:end])
                timings.append(elapsed)
                sql_times.append(sql)
                cpu_times.append(cpu)
                if args.trace:
                    print(
                        f"  {end:>3} characters: {elapsed:.0f} ms "
                        f"(SQL {sql:.0f} ms, Python CPU {cpu:.0f} ms)"
                    )
                counts.add(count)
        print(
            f"Typing {len(texts)} opinions, {len(timings)} requests: p50 "
            f"{statistics.median(timings):.0f} ms, p95 {percentile(timings, 0.95):.0f} ms, "
            f"max {max(timings):.0f} ms; SQL p50 {statistics.median(sql_times):.1f} ms; "
            f"Python CPU p50 {statistics.median(cpu_times):.0f} ms, max {max(cpu_times):.0f} ms; "
            f"queries per request {sorted(counts)}"
        )
        slowest = max(first, max(timings))
        verdict = "within" if slowest <= TARGET_MS else "OVER"
        print(f"Slowest request {slowest:.0f} ms: {verdict} the {TARGET_MS} ms target")
        if connection.vendor == "postgresql" and args.explain:
            explain_candidates(user, branch_id, campaign_id, category_id, enterprise_id)
        client.logout()
        if made:
            transaction.set_rollback(True)
    return 0


def explain_candidates(user, branch_id, campaign_id, category_id, enterprise_id) -> None:
    """The candidates queries' plans, as the endpoint sends them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from issues import suggestions

    with CaptureQueriesContext(connection) as queries:
        suggestions.similar_open_issues(
            user=user,
            branch_id=branch_id,
            campaign_id=campaign_id,
            text="电梯检验报告出具慢，一个多月还没拿到",
            category_id=category_id,
            enterprise_ids=frozenset({enterprise_id} if enterprise_id else ()),
        )
    for query in queries.captured_queries:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            print("\nA candidates query's plan:")
            for (line,) in cursor.fetchall():
                print("  " + line)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--generate",
        type=int,
        metavar="N",
        help="make N open issues here (rolled back) instead of using the data already there",
    )
    parser.add_argument(
        "--min-open",
        type=int,
        default=500,
        help="fewer open issues than this in every group: generate (default 500)",
    )
    parser.add_argument("--opinions", type=int, default=8, help="opinions typed (default 8)")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--explain", action="store_true", help="print the SQL plans (PostgreSQL)")
    parser.add_argument("--trace", action="store_true", help="print every request's times")
    args = parser.parse_args()
    setup_django()
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
