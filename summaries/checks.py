"""``manage.py check --deploy --database default --tag summaries``: the summaries equal a
recount of the raw rows.

It reads every activity and opinion, so it is a deploy check (``migrate`` and ``runserver``
never run it) and runs only when a database is named."""

from django.core.checks import Error, register

from .recount import differences


@register("summaries", deploy=True)
def summaries_match_a_recount(app_configs=None, databases=None, **kwargs):
    if not databases:
        return []
    found = differences()
    if not found:
        return []
    return [
        Error(
            "The dashboard's summary rows differ from a recount of the raw rows.",
            hint="Run `manage.py rebuild_summaries`, and report it: a write went around "
            "the triggers. First differences: " + "; ".join(found),
            id="summaries.E001",
        )
    ]
