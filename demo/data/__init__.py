"""The demo's data files: its world (``content``) and what enterprises said (``opinions``)."""
