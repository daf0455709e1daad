"""Turning the rows of an import file into plans, collecting every problem on the way.

Each sheet has its planner (``enterprises``, ``activities``, ``feedback``), planned in that
order because each refers to the ones before it; ``matching`` holds the database lookups
they share, ``checker`` the reading of a cell into a value or a problem at that cell.
Nothing here writes: ``imports.services`` does, from the plans.
"""

from __future__ import annotations

from branches.models import Branch
from outreach.models import Campaign

from ..plans import Preview
from .activities import ActivitySheet
from .checker import SheetChecker
from .enterprises import EnterpriseSheet
from .feedback import FeedbackSheet
from .matching import RegisteredEnterprises, Vocabulary


def plan_file(preview: Preview, *, branch: Branch, campaign: Campaign) -> None:
    """Fill ``preview`` with the plans of its sheets' rows for ``branch`` and ``campaign``,
    adding each problem to ``preview.problems``. A fixed handful of queries, whatever the
    number of rows."""
    sheets, problems = preview.sheets, preview.problems
    vocabulary = Vocabulary.load(branch)
    registered = RegisteredEnterprises.load(branch, sheets)
    enterprises = EnterpriseSheet(
        SheetChecker(sheets["enterprises"], problems),
        branch=branch,
        vocabulary=vocabulary,
        registered=registered,
    )
    preview.enterprises = enterprises.plan()
    activities = ActivitySheet(
        SheetChecker(sheets["activities"], problems),
        branch=branch,
        campaign=campaign,
        vocabulary=vocabulary,
        directory=enterprises.directory,
    )
    preview.activities = activities.plan()
    preview.feedback = FeedbackSheet(
        SheetChecker(sheets["feedback"], problems),
        vocabulary=vocabulary,
        directory=enterprises.directory,
        activities_by_ref=activities.by_ref,
    ).plan()
