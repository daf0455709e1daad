"""The summaries' SQL, for PostgreSQL and SQLite: the triggers that write a delta row with
every change, the rebuild from raw rows and the compaction. One definition of each count
serves the triggers and the rebuild; ``recount.py`` counts the same figures independently,
through the ORM and the definitions the lists use, to check both.

Which rows count (the same as ``reports.metrics``): activities and opinions not withdrawn;
visits are activities of kind "visit" not withdrawn, each enterprise linked to one.
An opinion's campaign and day are its activity's; its branch is its activity's (kept by
``outreach/migrations/0012``), so moving an activity moves its opinions' rows here too.
"""

from __future__ import annotations

ACTIVITY = "summaries_activityday"
OPINION_DAY = "summaries_opinionday"
OPINION_MONTH = "summaries_opinionmonth"
VISIT = "summaries_enterprisevisit"
VISIT_EVER = "summaries_branchenterprise"
ACTIVITY_MONTH = "summaries_activitymonth"
ISSUE = "summaries_issuetotals"

ACTIVITY_KEYS = ("branch_id", "campaign_id", "occurred_on", "kind")
ACTIVITY_COUNTS = ("n", "forms_sent", "forms_returned")
OPINION_COUNTS = (
    "n",
    "problem",
    "suggestion",
    "praise",
    "undisposed",
    "replied",
    "satisfied",
    "satisfaction_recorded",
    "box",
)
OPINION_DAY_KEYS = ("branch_id", "campaign_id", "occurred_on", "received_on", "category_id")
OPINION_MONTH_KEYS = ("branch_id", "campaign_id", "received_month", "category_id")
VISIT_KEYS = ("enterprise_id", "branch_id", "campaign_id")
VISIT_COUNTS = ("n",)
VISIT_EVER_KEYS = ("enterprise_id", "branch_id")
ACTIVITY_MONTH_KEYS = ("branch_id", "campaign_id", "month", "kind")
ISSUE_KEYS = ("branch_id", "campaign_id")
ISSUE_STATES = ("collected", "rectifying", "escalated", "rectified", "answered")
ISSUE_COUNTS = (
    "n",
    "fixed_on_the_spot",
    "fixed_on_the_spot_reopened",
    *(f"state_{state}" for state in ISSUE_STATES),
    "signed",
    "signed_on_time",
    "rectified_timed",
    "rectified_on_time",
    "escalated",
    "decided",
    "awaiting",
)

#: table -> (keys, counts)
TABLES = {
    ACTIVITY: (ACTIVITY_KEYS, ACTIVITY_COUNTS),
    ACTIVITY_MONTH: (ACTIVITY_MONTH_KEYS, ACTIVITY_COUNTS),
    OPINION_DAY: (OPINION_DAY_KEYS, OPINION_COUNTS),
    OPINION_MONTH: (OPINION_MONTH_KEYS, OPINION_COUNTS),
    VISIT: (VISIT_KEYS, VISIT_COUNTS),
    VISIT_EVER: (VISIT_EVER_KEYS, VISIT_COUNTS),
    ISSUE: (ISSUE_KEYS, ISSUE_COUNTS),
}

POSITIVE = "('satisfied', 'basically_satisfied')"
RECORDED = "('satisfied', 'basically_satisfied', 'unsatisfied')"


def month(vendor: str, day: str) -> str:
    if vendor == "postgresql":
        return f"CAST(date_trunc('month', {day}) AS date)"
    return f"date({day}, 'start of month')"


def _flag(condition: str) -> str:
    return f"CASE WHEN {condition} THEN 1 ELSE 0 END"


def local_day(vendor: str, moment: str) -> str:
    """The date in Asia/Shanghai of a stored moment (``issues.models._local_day``). SQLite
    keeps UTC text; China has kept UTC+8 all year since 1991."""
    if vendor == "postgresql":
        return f"CAST(({moment} AT TIME ZONE 'Asia/Shanghai') AS date)"
    return f"date({moment}, '+8 hours')"


def issue_flags(vendor: str, i: str) -> dict[str, str]:
    """Each count of one issue ``i``, 0 or 1 (``issues.models``' conditions)."""
    rectified = f"{i}.state IN ('rectified', 'answered')"
    return {
        "n": "1",
        "fixed_on_the_spot": _flag(f"{i}.immediate_fix = TRUE AND {i}.reopen_count = 0"),
        "fixed_on_the_spot_reopened": _flag(f"{i}.immediate_fix = TRUE AND {i}.reopen_count > 0"),
        **{f"state_{state}": _flag(f"{i}.state = '{state}'") for state in ISSUE_STATES},
        "signed": _flag(f"{i}.sign_deadline IS NOT NULL AND {i}.signed_at IS NOT NULL"),
        "signed_on_time": _flag(
            f"{i}.sign_deadline IS NOT NULL "
            f"AND {local_day(vendor, f'{i}.signed_at')} <= {i}.sign_deadline"
        ),
        "rectified_timed": _flag(
            f"{rectified} AND {i}.deadline IS NOT NULL AND {i}.rectified_at IS NOT NULL"
        ),
        "rectified_on_time": _flag(
            f"{rectified} AND {i}.deadline IS NOT NULL "
            f"AND {local_day(vendor, f'{i}.rectified_at')} <= {i}.deadline"
        ),
        # the issue's copies of its escalations' figures (issues/migrations/0016)
        "escalated": _flag(f"{i}.ever_escalated = TRUE"),
        "decided": _flag(f"{i}.ever_decided = TRUE"),
        "awaiting": _flag(f"{i}.decision_awaited = TRUE"),
    }


def issue_row(vendor: str, row: str, sign: int) -> str:
    keys = {key: f"{row}.{key}" for key in ISSUE_KEYS}
    counts = {key: f"{sign} * ({flag})" for key, flag in issue_flags(vendor, row).items()}
    return _insert(
        ISSUE, keys, counts, f"WHERE {row}.withdrawn_at IS NULL AND {row}.merged_into_id IS NULL"
    )


def opinion_flags(f: str, a: str) -> dict[str, str]:
    """Each count of one opinion ``f`` of activity ``a`` (row aliases), 0 or 1."""
    return {
        "n": "1",
        "problem": _flag(f"{f}.kind = 'problem'"),
        "suggestion": _flag(f"{f}.kind = 'suggestion'"),
        "praise": _flag(f"{f}.kind = 'praise'"),
        "undisposed": _flag(f"{f}.issue_id IS NULL AND {f}.closed_at IS NULL"),
        "replied": _flag(f"{f}.last_replied_on IS NOT NULL OR {f}.unreachable_at IS NOT NULL"),
        "satisfied": _flag(f"{f}.satisfaction IN {POSITIVE}"),
        "satisfaction_recorded": _flag(f"{f}.satisfaction IN {RECORDED}"),
        "box": _flag(f"{a}.kind = 'online_box'"),
    }


def _insert(table: str, keys: dict[str, str], counts: dict[str, str], rest: str) -> str:
    columns = ", ".join([*keys, *counts])
    values = ", ".join([*keys.values(), *counts.values()])
    return f"INSERT INTO {table} ({columns}) SELECT {values} {rest}"


def _opinion_keys(vendor: str, f: str, a: str) -> tuple[dict, dict]:
    day = {
        "branch_id": f"{a}.branch_id",
        "campaign_id": f"{a}.campaign_id",
        "occurred_on": f"{a}.occurred_on",
        "received_on": f"{f}.received_on",
        "category_id": f"{f}.category_id",
    }
    month_keys = {
        "branch_id": f"{a}.branch_id",
        "campaign_id": f"{a}.campaign_id",
        "received_month": month(vendor, f"{f}.received_on"),
        "category_id": f"{f}.category_id",
    }
    return day, month_keys


# --- the triggers' statements: one row (NEW or OLD) with a sign --------------------------


def opinion_row(vendor: str, row: str, sign: int) -> list[str]:
    """The delta of one opinion (``NEW`` or ``OLD``): its counts under its keys, read
    with its activity's campaign, day and kind."""
    day, month_keys = _opinion_keys(vendor, row, "a")
    counts = {key: f"{sign} * ({flag})" for key, flag in opinion_flags(row, "a").items()}
    rest = f"FROM outreach_activity a WHERE a.id = {row}.activity_id AND {row}.withdrawn_at IS NULL"
    # The activity's branch, not the opinion's copy: equal at every commit, but while an
    # activity moves the copy follows in another trigger. The activity must still exist
    # when its opinion is deleted (opinions PROTECT their activity; Django deletes an
    # activity's enterprise links before it): raw SQL deleting an activity first, with
    # deferred foreign keys, would lose the opinion's -1.
    return [
        _insert(OPINION_DAY, day, counts, rest),
        _insert(OPINION_MONTH, month_keys, counts, rest),
    ]


def opinions_of_activity(vendor: str, row: str, sign: int) -> list[str]:
    """The delta of every opinion of one activity (``NEW`` or ``OLD``), under that
    version of the activity: moving an activity moves its opinions' counts."""
    statements = []
    day, month_keys = _opinion_keys(vendor, "f", row)
    flags = opinion_flags("f", row)
    counts = {key: f"{sign} * SUM({flag})" for key, flag in flags.items()}
    source = (
        f"FROM outreach_feedbackitem f WHERE f.activity_id = {row}.id AND f.withdrawn_at IS NULL"
    )
    statements.append(
        _insert(OPINION_DAY, day, counts, f"{source} GROUP BY f.received_on, f.category_id")
    )
    received_month = month(vendor, "f.received_on")
    statements.append(
        _insert(
            OPINION_MONTH,
            month_keys,
            counts,
            f"{source} GROUP BY {received_month}, f.category_id",
        )
    )
    return statements


def activity_row(vendor: str, row: str, sign: int) -> list[str]:
    """One activity's delta, by day and by month."""
    counts = {
        "n": str(sign),
        "forms_sent": f"{sign} * COALESCE({row}.forms_sent, 0)",
        "forms_returned": f"{sign} * COALESCE({row}.forms_returned, 0)",
    }
    day = {key: f"{row}.{key}" for key in ACTIVITY_KEYS}
    by_month = {**day, "month": month(vendor, f"{row}.occurred_on")}
    del by_month["occurred_on"]
    where = f"WHERE {row}.withdrawn_at IS NULL"
    return [
        _insert(ACTIVITY, day, counts, where),
        _insert(ACTIVITY_MONTH, by_month, counts, where),
    ]


def _visit_inserts(enterprise: str, activity: str, sign: int, rest: str) -> list[str]:
    """A visit's delta per enterprise, branch and campaign, and per enterprise and branch
    (all campaigns: "enterprises visited" of all time without a campaign to group by)."""
    keys = {
        "enterprise_id": enterprise,
        "branch_id": f"{activity}.branch_id",
        "campaign_id": f"{activity}.campaign_id",
    }
    ever = {key: value for key, value in keys.items() if key != "campaign_id"}
    return [
        _insert(VISIT, keys, {"n": str(sign)}, rest),
        _insert(VISIT_EVER, ever, {"n": str(sign)}, rest),
    ]


def visits_of_activity(row: str, sign: int) -> list[str]:
    """Each enterprise linked to the activity ``row``, if it counts as a visit."""
    return _visit_inserts(
        "ae.enterprise_id",
        row,
        sign,
        f"FROM outreach_activity_enterprises ae WHERE ae.activity_id = {row}.id "
        f"AND {row}.kind = 'visit' AND {row}.withdrawn_at IS NULL",
    )


def visit_link(row: str, sign: int) -> list[str]:
    """One link of an enterprise to an activity (a row of the M2M table)."""
    return _visit_inserts(
        f"{row}.enterprise_id",
        "a",
        sign,
        f"FROM outreach_activity a WHERE a.id = {row}.activity_id "
        "AND a.kind = 'visit' AND a.withdrawn_at IS NULL",
    )


# --- when a trigger fires on an update ----------------------------------------------------

#: What of an opinion changes its keys or counts (not ``branch_id``: an opinion's branch
#: changes only with its activity's, which the activity's trigger counts). Conditions,
#: not raw columns: a later reply date or a move to another issue changes no count.
OPINION_WATCHED = (
    "{r}.activity_id",
    "{r}.kind",
    "{r}.category_id",
    "{r}.received_on",
    "({r}.withdrawn_at IS NULL)",
    "({r}.issue_id IS NULL AND {r}.closed_at IS NULL)",
    "({r}.last_replied_on IS NOT NULL OR {r}.unreachable_at IS NOT NULL)",
    f"({{r}}.satisfaction IN {POSITIVE})",
    f"({{r}}.satisfaction IN {RECORDED})",
)
ACTIVITY_COLUMNS = (
    "branch_id",
    "campaign_id",
    "occurred_on",
    "kind",
    "withdrawn_at",
    "forms_sent",
    "forms_returned",
)
ISSUE_COLUMNS = (
    "branch_id",
    "campaign_id",
    "withdrawn_at",
    "merged_into_id",
    "immediate_fix",
    "reopen_count",
    "state",
    "signed_at",
    "sign_deadline",
    "rectified_at",
    "deadline",
    "ever_escalated",
    "ever_decided",
    "decision_awaited",
)
#: The activity's columns that move its opinions' rows (an opinion counts whether or not
#: its activity is withdrawn), and its visits' rows.
OPINIONS_MOVE = ("branch_id", "campaign_id", "occurred_on", "kind")
VISITS_MOVE = ("branch_id", "campaign_id", "kind", "withdrawn_at")


def changed(vendor: str, columns) -> str:
    """Any of ``columns`` (names, or conditions over ``{r}``) differs between OLD and NEW."""
    watched = [c if "{r}" in c else f"{{r}}.{c}" for c in columns]
    differs = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
    return " OR ".join(f"{c.format(r='OLD')} {differs} {c.format(r='NEW')}" for c in watched)


# --- install and remove --------------------------------------------------------------------

TRIGGERS = {
    # name: (table, what it does)
    "summaries_activity": "outreach_activity",
    "summaries_opinion": "outreach_feedbackitem",
    "summaries_visit_link": "outreach_activity_enterprises",
    "summaries_issue": "issues_issue",
}


def _sqlite_trigger(name, event, table, statements, when=None) -> str:
    condition = f" WHEN {when}" if when else ""
    body = " ".join(f"{s};" for s in statements)
    return f"CREATE TRIGGER {name} AFTER {event} ON {table}{condition} BEGIN {body} END;"


def sqlite_install() -> list[str]:
    v = "sqlite"
    opinion_update = [*opinion_row(v, "OLD", -1), *opinion_row(v, "NEW", 1)]
    opinions_move = [*opinions_of_activity(v, "OLD", -1), *opinions_of_activity(v, "NEW", 1)]
    visits_move = [*visits_of_activity("OLD", -1), *visits_of_activity("NEW", 1)]
    return [
        _sqlite_trigger(
            "summaries_opinion_insert", "INSERT", "outreach_feedbackitem", opinion_row(v, "NEW", 1)
        ),
        _sqlite_trigger(
            "summaries_opinion_delete", "DELETE", "outreach_feedbackitem", opinion_row(v, "OLD", -1)
        ),
        _sqlite_trigger(
            "summaries_opinion_update",
            "UPDATE",
            "outreach_feedbackitem",
            opinion_update,
            changed(v, OPINION_WATCHED),
        ),
        _sqlite_trigger(
            "summaries_activity_insert", "INSERT", "outreach_activity", activity_row(v, "NEW", 1)
        ),
        _sqlite_trigger(
            "summaries_activity_delete", "DELETE", "outreach_activity", activity_row(v, "OLD", -1)
        ),
        _sqlite_trigger(
            "summaries_activity_update",
            "UPDATE",
            "outreach_activity",
            [*activity_row(v, "OLD", -1), *activity_row(v, "NEW", 1)],
            changed(v, ACTIVITY_COLUMNS),
        ),
        _sqlite_trigger(
            "summaries_activity_move",
            "UPDATE",
            "outreach_activity",
            opinions_move,
            changed(v, OPINIONS_MOVE),
        ),
        _sqlite_trigger(
            "summaries_activity_visits_move",
            "UPDATE",
            "outreach_activity",
            visits_move,
            changed(v, VISITS_MOVE),
        ),
        _sqlite_trigger(
            "summaries_issue_insert", "INSERT", "issues_issue", [issue_row(v, "NEW", 1)]
        ),
        _sqlite_trigger(
            "summaries_issue_delete", "DELETE", "issues_issue", [issue_row(v, "OLD", -1)]
        ),
        _sqlite_trigger(
            "summaries_issue_update",
            "UPDATE",
            "issues_issue",
            [issue_row(v, "OLD", -1), issue_row(v, "NEW", 1)],
            changed(v, ISSUE_COLUMNS),
        ),
        _sqlite_trigger(
            "summaries_visit_link_insert",
            "INSERT",
            "outreach_activity_enterprises",
            visit_link("NEW", 1),
        ),
        _sqlite_trigger(
            "summaries_visit_link_delete",
            "DELETE",
            "outreach_activity_enterprises",
            visit_link("OLD", -1),
        ),
        _sqlite_trigger(
            "summaries_visit_link_update",
            "UPDATE",
            "outreach_activity_enterprises",
            [*visit_link("OLD", -1), *visit_link("NEW", 1)],
        ),
    ]


def sqlite_uninstall() -> list[str]:
    names = [
        f"summaries_{table}_{event}"
        for table in ("opinion", "activity", "visit_link", "issue")
        for event in ("insert", "delete", "update")
    ] + ["summaries_activity_move", "summaries_activity_visits_move"]
    return [f"DROP TRIGGER IF EXISTS {name};" for name in names]


def _pg_function(name: str, table: str, body: str, events: str, when: str | None = None) -> str:
    condition = f" WHEN ({when})" if when else ""
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
BEGIN
{body}
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS {name} ON {table};
CREATE TRIGGER {name} AFTER {events} ON {table}
    FOR EACH ROW{condition} EXECUTE FUNCTION {name}();
"""


def _pg_block(condition: str, statements: list[str]) -> str:
    body = "\n".join(f"        {s};" for s in statements)
    return f"    IF {condition} THEN\n{body}\n    END IF;"


def postgresql_install() -> list[str]:
    v = "postgresql"
    old, new = "TG_OP IN ('UPDATE', 'DELETE')", "TG_OP IN ('INSERT', 'UPDATE')"
    opinion = "\n".join(
        [_pg_block(old, opinion_row(v, "OLD", -1)), _pg_block(new, opinion_row(v, "NEW", 1))]
    )
    activity = "\n".join(
        [
            _pg_block(old, activity_row(v, "OLD", -1)),
            _pg_block(new, activity_row(v, "NEW", 1)),
            _pg_block(
                f"TG_OP = 'UPDATE' AND ({changed(v, OPINIONS_MOVE)})",
                [*opinions_of_activity(v, "OLD", -1), *opinions_of_activity(v, "NEW", 1)],
            ),
            _pg_block(
                f"TG_OP = 'UPDATE' AND ({changed(v, VISITS_MOVE)})",
                [*visits_of_activity("OLD", -1), *visits_of_activity("NEW", 1)],
            ),
        ]
    )
    link = "\n".join([_pg_block(old, visit_link("OLD", -1)), _pg_block(new, visit_link("NEW", 1))])
    issue = "\n".join(
        [_pg_block(old, [issue_row(v, "OLD", -1)]), _pg_block(new, [issue_row(v, "NEW", 1)])]
    )
    return [
        _pg_function("summaries_issue", "issues_issue", issue, "INSERT OR DELETE"),
        _pg_function(
            "summaries_issue_update", "issues_issue", issue, "UPDATE", changed(v, ISSUE_COLUMNS)
        ),
        # An update of none of these columns (a title, the minutes, an opinion's text)
        # writes nothing here.
        _pg_function("summaries_opinion", "outreach_feedbackitem", opinion, "INSERT OR DELETE"),
        _pg_function(
            "summaries_opinion_update",
            "outreach_feedbackitem",
            opinion,
            "UPDATE",
            changed(v, OPINION_WATCHED),
        ),
        _pg_function("summaries_activity", "outreach_activity", activity, "INSERT OR DELETE"),
        _pg_function(
            "summaries_activity_update",
            "outreach_activity",
            activity,
            "UPDATE",
            changed(v, ACTIVITY_COLUMNS),
        ),
        _pg_function(
            "summaries_visit_link",
            "outreach_activity_enterprises",
            link,
            "INSERT OR DELETE OR UPDATE",
        ),
    ]


def postgresql_uninstall() -> list[str]:
    pairs = (
        ("summaries_opinion", "outreach_feedbackitem"),
        ("summaries_opinion_update", "outreach_feedbackitem"),
        ("summaries_activity", "outreach_activity"),
        ("summaries_activity_update", "outreach_activity"),
        ("summaries_visit_link", "outreach_activity_enterprises"),
        ("summaries_issue", "issues_issue"),
        ("summaries_issue_update", "issues_issue"),
    )
    return [
        f"DROP TRIGGER IF EXISTS {name} ON {table}; DROP FUNCTION IF EXISTS {name}();"
        for name, table in pairs
    ]


def install(vendor: str) -> list[str]:
    return postgresql_install() if vendor == "postgresql" else sqlite_install()


def uninstall(vendor: str) -> list[str]:
    return postgresql_uninstall() if vendor == "postgresql" else sqlite_uninstall()


# --- rebuild from the raw rows ------------------------------------------------------------


def rebuild(vendor: str) -> list[str]:
    """Empty the summaries and count every row again, one row per key."""
    statements = [f"DELETE FROM {table}" for table in TABLES]
    day, month_keys = _opinion_keys(vendor, "f", "a")
    counts = {key: f"SUM({flag})" for key, flag in opinion_flags("f", "a").items()}
    source = (
        "FROM outreach_feedbackitem f JOIN outreach_activity a ON a.id = f.activity_id "
        "WHERE f.withdrawn_at IS NULL"
    )
    statements.append(
        _insert(OPINION_DAY, day, counts, f"{source} GROUP BY {', '.join(day.values())}")
    )
    statements.append(
        _insert(
            OPINION_MONTH,
            month_keys,
            counts,
            f"{source} GROUP BY {', '.join(month_keys.values())}",
        )
    )
    keys = {key: f"a.{key}" for key in ACTIVITY_KEYS}
    statements.append(
        _insert(
            ACTIVITY,
            keys,
            {
                "n": "COUNT(*)",
                "forms_sent": "SUM(COALESCE(a.forms_sent, 0))",
                "forms_returned": "SUM(COALESCE(a.forms_returned, 0))",
            },
            f"FROM outreach_activity a WHERE a.withdrawn_at IS NULL GROUP BY {', '.join(keys.values())}",
        )
    )
    by_month = {**keys, "month": month(vendor, "a.occurred_on")}
    del by_month["occurred_on"]
    statements.append(
        _insert(
            ACTIVITY_MONTH,
            by_month,
            {
                "n": "COUNT(*)",
                "forms_sent": "SUM(COALESCE(a.forms_sent, 0))",
                "forms_returned": "SUM(COALESCE(a.forms_returned, 0))",
            },
            f"FROM outreach_activity a WHERE a.withdrawn_at IS NULL GROUP BY {', '.join(by_month.values())}",
        )
    )
    visits = (
        "FROM outreach_activity_enterprises ae JOIN outreach_activity a ON a.id = ae.activity_id "
        "WHERE a.kind = 'visit' AND a.withdrawn_at IS NULL "
    )
    statements.append(
        _insert(
            VISIT,
            {
                "enterprise_id": "ae.enterprise_id",
                "branch_id": "a.branch_id",
                "campaign_id": "a.campaign_id",
            },
            {"n": "COUNT(*)"},
            f"{visits} GROUP BY ae.enterprise_id, a.branch_id, a.campaign_id",
        )
    )
    statements.append(
        _insert(
            VISIT_EVER,
            {"enterprise_id": "ae.enterprise_id", "branch_id": "a.branch_id"},
            {"n": "COUNT(*)"},
            f"{visits} GROUP BY ae.enterprise_id, a.branch_id",
        )
    )
    statements.append(
        _insert(
            ISSUE,
            {key: f"i.{key}" for key in ISSUE_KEYS},
            {key: f"SUM({flag})" for key, flag in issue_flags(vendor, "i").items()},
            "FROM issues_issue i WHERE i.withdrawn_at IS NULL AND i.merged_into_id IS NULL "
            "GROUP BY i.branch_id, i.campaign_id",
        )
    )
    return statements


# --- compaction ------------------------------------------------------------------------------


def compact(vendor: str, table: str) -> list[str]:
    """Fold each key's rows into one (dropping keys that sum to nothing). On PostgreSQL one
    statement, so one snapshot: rows other transactions are writing meanwhile are neither
    deleted nor summed, and count as before."""
    keys, counts = TABLES[table]
    key_list = ", ".join(keys)
    sums = ", ".join(f"SUM({c})" for c in counts)
    nonzero = " OR ".join(f"SUM({c}) <> 0" for c in counts)
    match = " AND ".join(f"t.{k} = d.{k}" for k in keys)
    columns = f"{key_list}, {', '.join(counts)}"
    if vendor == "postgresql":
        return [
            f"""WITH doubled AS (
                SELECT {key_list} FROM {table} GROUP BY {key_list}
                HAVING COUNT(*) > 1 OR ({" AND ".join(f"SUM({c}) = 0" for c in counts)})
            ), gone AS (
                DELETE FROM {table} t USING doubled d WHERE {match} RETURNING t.*
            )
            INSERT INTO {table} ({columns})
            SELECT {key_list}, {sums} FROM gone GROUP BY {key_list} HAVING {nonzero}"""
        ]
    # SQLite has one writer at a time: the caller holds the write lock throughout.
    return [
        f"CREATE TEMP TABLE summaries_folded AS SELECT {key_list}, "
        + ", ".join(f"SUM({c}) AS {c}" for c in counts)
        + f" FROM {table} GROUP BY {key_list}",
        f"DELETE FROM {table}",
        f"INSERT INTO {table} ({columns}) SELECT * FROM summaries_folded "
        f"WHERE {' OR '.join(f'{c} <> 0' for c in counts)}",
        "DROP TABLE summaries_folded",
    ]
