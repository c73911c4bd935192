"""Why the bot left a page alone, in an organiser's words: each refusal or skip reason belongs to
one cause, told once on the status page with the step an organiser can take on the wiki."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Cause:
    """One reason the bot could not do something, told once however many pages it touches."""

    key: str
    #: what happened, in plain words (a sentence)
    says: str
    #: what an organiser can do about it on the wiki (a sentence)
    step: str
    #: words in a reason that mark this cause (lower case)
    marks: tuple[str, ...] = ()


ASK = "If the reason below is unclear, ask the bot's operator (named at the end of this page)."

#: tried in order; the first whose mark is in the reason is the cause
CAUSES: tuple[Cause, ...] = (
    Cause("pages", "The bot could not read this event's pages (a page too complex to parse, a Day page "
          "missing, or the wiki failing), so it did nothing for this event.",
          "Look at the latest edits of its pages: undo an edit that added a mass of markup, or create a "
          "missing Day page; the next run after such an edit tries again.",
          ("its pages could not be read",)),
    Cause("config", "The Event track bot template on the root page has problems, so the bot did nothing "
          "for this event.",
          "Fix each line named below in the template's call on the root page; the next run reads it again.",
          ("its config is not acted on", "the event was not served")),
    Cause("lost", "What the bot read would drop sessions that the published pages have, and that looks like a "
          "page read wrong, so it published no page of this event this time (and will not, until the pages or "
          "an acceptance change).",
          "If a session was lost by mistake, fix its Day page (the warnings below say where); the next run reads "
          "it again. If you removed them on purpose, accept it on the wiki: edit the root page and add the "
          "parameter the bot names below (<code>|accept=</code> and a code) to its Event track bot template. "
          "The code accepts only the loss named here; the next run publishes, and you can remove it afterwards.",
          ("would drop",)),
    Cause("shrink", "A generated list would get shorter or empty, so the bot left the page alone.",
          "If sessions or rows were lost by mistake, fix the Day pages (the warnings below say where). If "
          "they were removed on purpose, ask the bot's operator for one run that accepts it.",
          ("would shrink", "would be empty")),
    Cause("signed", "The edit would have removed a signed sign-up row, so the bot did not save it.",
          "Check the sign-up page: every row with a signature must stay. Close a table left open "
          "(<code>|}</code>) and fix a row the bot could not read.",
          ("signed row",)),
    Cause("hand", "Someone edited inside the part of the page that the bot writes, so the bot did not "
          "overwrite it.",
          "Move the change outside the bot's markers, or undo it. To hand that part back to the bot, "
          "empty it and remove <code>sha1=...</code> from its begin marker.",
          ("edited by hand", "no checksum", "edited by ", "a key added", "was edited")),
    Cause("markers", "The bot's markers on the page are missing, doubled or broken, so it did not edit it.",
          "Put back one begin and one end marker (the page's history shows them), or add an empty pair where "
          "the bot may write.",
          ("marker", "managed region")),
    Cause("nobots", "The page asks bots to stay away, so the bot left it alone.",
          "Remove <code>&#123;&#123;nobots&#125;&#125;</code> or <code>&#123;&#123;bots|deny=...&#125;&#125;</code> "
          "from the page if the bot may edit it.",
          ("opts out of bots",)),
    Cause("gone", "A person deleted or moved the page, so the bot does not create it again.",
          "Undelete it, or create it by hand, if the bot should write it again; or leave it out of the "
          "template's parameters.",
          ("deleted", "moved to")),
    Cause("owned", "The page belongs to another event (the first to write it, or to opt in naming it), so "
          "this event does not write it.",
          "Name another page for this event in the template's parameters. If the page should be this event's, "
          "the other event drops it from its template (the page is free from the next run), or the bot's "
          "operator hands it over.",
          ("owned by", "named first by")),
    Cause("outside", "The template names a page outside this event's pages, where the bot does not write.",
          "Name a subpage of the root page (<code>/Name</code>) instead.",
          ("outside the event's pages", "outside its subtree")),
    Cause("size", "The page would be too big to save, so the bot did not save it.",
          "Split the event's Day pages, or leave this page out of the template's parameters.",
          ("too big", "2 mib")),
    Cause("other", "The bot left these pages alone.", ASK),
)

#: a skip: a passing problem, tried again next run
SKIP = Cause("skip", "These pages could not be saved this time (a passing problem on the wiki, such as an "
             "edit conflict or a rate limit); the bot tries again at its next run.",
             "Nothing to do, unless this stays for several runs: then ask the bot's operator.")

#: what the operator reads in a reason, not an organiser: dropped from the status page
_OPERATOR_HINT = re.compile(r"\s*[;(]\s*use --allow-shrink if that is right\)?")
_CONFIG_PREFIX = re.compile(r"^(its config is not acted on|the event was not served|its pages could not be read): ")


def cause_of(reason: str) -> Cause:
    """The cause a refusal's reason belongs to."""
    low = reason.lower()
    return next(c for c in CAUSES if not c.marks or any(m in low for m in c.marks))


def detail(reason: str) -> str:
    """A reason as the status page shows it under its cause: the operator's hints dropped."""
    return _CONFIG_PREFIX.sub("", _OPERATOR_HINT.sub("", reason)).strip()


def grouped(refused: Sequence[Mapping[str, str]]) -> list[tuple[Cause, list[tuple[str, str]]]]:
    """The refusals by cause, in the order of `CAUSES`: each cause with its (title, detail) pairs,
    each pair once."""
    by_key: dict[str, list[tuple[str, str]]] = {}
    for r in refused:
        pairs = by_key.setdefault(cause_of(r["reason"]).key, [])
        pair = (r["title"], detail(r["reason"]))
        if pair not in pairs:
            pairs.append(pair)
    return [(c, by_key[c.key]) for c in CAUSES if c.key in by_key]
