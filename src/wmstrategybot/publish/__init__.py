"""Planning from a source and carrying the plan out: read an event's pages and plan them (read.py),
save the planned edits with conflict and re-plan handling (apply.py, outcome.py), and the skeleton
templates the bot installs (files.py, templates.py).
"""
