"""From an event's pages to an ``Event``: the Day pages read into sessions and parts
(daypage.py, blocks.py, outline.py, markers.py, numbering.py), the summary and signups
(summary.py, signups.py), how much of each page was read (coverage.py), and the whole event with
its warnings (event.py: ``extract_event``).

Pure: page records in, an event out; what could not be read becomes a warning.
"""
