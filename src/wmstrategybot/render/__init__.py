"""From an ``Event`` to the pages the bot writes. kinds.py is the registry of page kinds, the one
truth about target pages (their titles, renderer, merge rule, config key and template parameter);
sessions.py, signups.py and datapage.py render the overview and navbox, the signup counts and the
data page; base.py holds what every renderer shares (``RenderedPage``, template calls, links).

Pure: an event, a config and the skeleton templates in, wikitext out.
"""
