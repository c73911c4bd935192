"""Reading and writing wikitext without parsing it into a tree: masking what MediaWiki does not
read as markup (spans.py, text.py), scanning for headings, tables and template calls (scan.py),
plain text of a fragment (clean.py, fragments.py), escaping text into markup (escaping.py), the
bot's regions in a page and merging them (regions.py), signup tables (signuptable.py) and areas
(areas.py).

Pure: strings in, strings out, positions kept.
"""
