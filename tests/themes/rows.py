"""Rows for the themes' tests: a recurring problem of branches A and B."""

from __future__ import annotations

from tests.factories import IssueFactory, ThemeFactory, ThemeIssueFactory


def proposed_theme(world, *, state="proposed", **fields):
    """A theme of one new issue of A and one of B (in the world's campaign and A's
    opinions' category)."""
    category = world.a.feedback.category
    theme = ThemeFactory(category=category, state=state, **fields)
    for rows in (world.a, world.b):
        issue = IssueFactory(branch=rows.branch, campaign=world.campaign, category=category)
        ThemeIssueFactory(theme=theme, issue=issue)
    return theme


def theme_holding(branch, category):
    """A proposed theme of one new issue of ``branch``."""
    theme = ThemeFactory(category=category)
    ThemeIssueFactory(theme=theme, issue=IssueFactory(branch=branch, category=category))
    return theme
