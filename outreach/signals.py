"""Signals outreach sends to the apps above it (which outreach must not import)."""

from django.dispatch import Signal

#: An enterprise record was merged into another, inside the merge's transaction:
#: ``survivor``, ``duplicate``, ``actor``. A receiver moves its own rows that point at the
#: duplicate (apps above outreach hold such rows; outreach cannot move them itself).
enterprise_merged = Signal()
