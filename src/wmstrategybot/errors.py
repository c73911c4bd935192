"""Every error type of the package, in one hierarchy. Each carries one line for the user; the
CLI prints it on stderr and `exits.exit_for` turns its class into the exit code.

    WmError                      a user can cause it; exit 2 unless said otherwise
    +-- ConfigError              the event config is missing, malformed or incomplete
    +-- MergeRefused             the bot must not write this page (a guard, a hand edit)
    +-- Locked                   another run holds the lock (exit 5)
    +-- StateStoreError          the state database is not one this bot wrote, or cannot be used
    +-- SourceError              a page source cannot be read or written
        +-- LoginFailed          no account, no password, a refused BotPassword
        +-- EditConflict         the page changed between read and save
        +-- PageDeleted          the page was deleted after the read; not recreated
        +-- SlowDown             maxlag/ratelimited/readonly past the capped retries
        +-- SkippedPage          the wiki refused this page's edit (a person must look)
        +-- WatchlistUnavailable the source cannot tell what changed on watched pages
"""

#: API error codes after which the page is skipped and reported; the run goes on.
SKIP_CODES = {
    "protectedpage": "the page is protected",
    "cascadeprotected": "the page is cascade-protected",
    "protectedtitle": "the title is protected from creation",
    "protectednamespace": "the namespace is protected",
    "protectednamespace-interface": "the page is an interface page",
    "permissiondenied": "the bot may not edit this page",
    "spamblacklist": "the text contains a spam-blacklisted link",
    "titleblacklist-forbidden": "the title is blacklisted",
    "abusefilter-disallowed": "an abuse filter disallowed the edit",
    "abusefilter-warning": "an abuse filter warned about the edit; a person should look",
    "contenttoobig": "the text is too big for the wiki",
    "assertbotfailed": "the account has no bot right (assert=bot failed)",
    "assertuserfailed": "not logged in (assert=user failed)",
    "assertnameduserfailed": "logged in as another user (assertuser failed)",
    "blocked": "the bot account is blocked",
    # the page's content model: a JSON, CSS or JS page of a user's space, or a model the account
    # may not change (the data page over a wikitext page a person made)
    "cantchangecontentmodel": "the bot may not change the page's content model",
    "customjsonprotected": "only its user may edit a JSON page in a user's space",
    "customcssprotected": "only its user may edit a CSS page in a user's space",
    "customjsprotected": "only its user may edit a JavaScript page in a user's space",
}


class WmError(Exception):
    """Base of every error a user can cause (bad config, bad input, unknown page)."""


class ConfigError(WmError):
    """The event config is missing, malformed or incomplete."""


class MergeRefused(WmError):
    """The bot must not write this page; the message says why, in one line."""


class Locked(WmError):
    """Another run holds the lock."""


class StateStoreError(WmError):
    """The state database is of another program or version, corrupt, or cannot be written."""


class SourceError(WmError):
    """A page source cannot be read or written (bad dump, missing folder, unknown page)."""


class LoginFailed(SourceError):
    """The bot cannot log in (no account or password configured, a refused BotPassword): an
    error for the whole run (exit 2), not a page skipped for a passing reason."""


class EditConflict(SourceError):
    """The page changed between the bot's read and its save."""


class PageDeleted(SourceError):
    """The page was deleted after the bot read it; it is not recreated."""


class SlowDown(SourceError):
    """The wiki kept answering maxlag/ratelimited/readonly past the capped retries; stop editing."""


class SkippedPage(SourceError):
    """The wiki refused this page's edit for a reason a person must look at."""

    def __init__(self, title: str, code: str, reason: str):
        super().__init__(f"{title}: {reason} ({code})")
        self.code = code
        #: a known refusal (SKIP_CODES) that trying again next run would meet again (see
        #: saving.Outcome.lasting); an unknown error code may be the wiki failing for a moment
        self.lasting = code in SKIP_CODES or code.split("-")[0] in SKIP_CODES


class WatchlistUnavailable(SourceError):
    """The source cannot tell what changed on watched pages (no watchlist, or no grant to use it)."""
