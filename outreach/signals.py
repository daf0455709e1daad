"""Signals outreach sends to the apps above it (which outreach must not import)."""

from django.dispatch import Signal

#: An enterprise record was merged into another, inside the merge's transaction:
#: ``survivor``, ``duplicate``, ``actor``. A receiver moves its own rows that point at the
#: duplicate (apps above outreach hold such rows; outreach cannot move them itself).
enterprise_merged = Signal()

#: Opinions were recorded from an entry form (the activity's entry page, the rows under a
#: new activity), inside the form's transaction: ``actor``, ``opinions`` (pairs of the
#: ``FeedbackItem`` and the ``INTAKE_FIELDS`` of its row: the issues suggested beside it
#: and the one chosen). A receiver returns a list of messages for the user (the issues app
#: attaches an opinion to the issue chosen, and records what was suggested).
opinions_recorded = Signal()
