"""The data the bot works on, and nothing else: an event with its days, sessions, parts and
areas (event.py, with its JSON schema), a page as read from a source (pages.py: ``PageRecord``),
page titles and their one normaliser (titles.py), and the settings of an event, a site and the
bot (settings.py: ``EventConfig``, ``Targets``).

The bottom layer: imports nothing else of the package.
"""
