"""What to save, decided before anything is saved: the text of each target page from its
rendering and its live text (compose.py, with the merge rules in one table), the guards that
refuse an edit (guards.py: stop page, bot exclusion, signatures; lost.py: sessions that would
disappear), and the whole plan of an event (plan.py).

Pure: records in, planned edits out.
"""
