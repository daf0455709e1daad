"""What the workflow tells the apps above it, once each change is committed.

``issues`` sits below ``notifications`` (and anything else that reacts to the workflow), so
it never imports them: it sends these signals after the writing transaction commits, and
the apps that care connect receivers in their ``AppConfig.ready`` (``notifications.triggers``
decides who hears about what). A receiver's failure never undoes the change: it was
committed first.
"""

from django.dispatch import Signal

#: An issue moved state. Arguments: ``issue``, ``transition`` (``transitions.Transition``),
#: ``actor``, ``values`` (what the form filled in).
transition_made = Signal()

#: A reply to one opinion was recorded. Arguments: ``reply``.
reply_recorded = Signal()

#: An institute leader wrote an instruction (批示) on an issue. Arguments: ``instruction``.
instruction_written = Signal()
