"""The package's error types. Each carries one line for the user; the CLI prints it on stderr."""


class WmError(Exception):
    """Base of every error a user can cause (bad config, bad input, unknown page)."""


class ConfigError(WmError):
    """The event config is missing, malformed or incomplete."""


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
