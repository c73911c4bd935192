"""What users write: an event config in TOML (event.py, read from disk only by files.py) or as
``{{Event track bot}}`` parameters on the wiki (wiki.py, whose parameters come from the page-kind
registry), a job file (job.py), and the rule that keeps an event's pages inside its subtree
(subtree.py).

Pure except files.py; bad input raises ``ConfigError`` with one line.
"""
