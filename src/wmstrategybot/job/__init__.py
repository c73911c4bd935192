"""Runs over time: one event's run (run.py) and every opted-in event's (runall.py), the check that
finds what changed since the last run (changes.py), serving an event (serve.py, context.py),
discovery of opted-in events (discovery.py), the state store and lock (store.py, state.py,
lock.py), the report (report.py) and the status pages on the wiki (statuspage.py, failures.py).
"""
