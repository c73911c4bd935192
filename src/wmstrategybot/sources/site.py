"""A live wiki through pywikibot: batched reads that keep each page's revision, careful saves.

Reads never log in. A save logs in (the user's pywikibot config: ``PYWIKIBOT_DIR``,
``user-config.py``, BotPassword) and sends the edit itself rather than through
``Page.save()``, because it must carry exactly what the bot read:

- ``baserevid`` of the revision read (``Page.save`` re-fetches the base when the page has no
  cached revision, which turns conflict detection off). Not ``basetimestamp``: MediaWiki
  (1.39, ``EditPage::internalAttemptSave``) then treats a conflict as the bot's own when no
  revision is *newer* than that second (``RevisionStore::userWasLastToEdit`` compares
  ``rev_timestamp > basetimestamp``), so a person's edit made in the same second as the
  revision the bot read is silently overwritten. The live-wiki tests caught this. With
  ``baserevid`` alone the server compares revision ids: it merges a newer edit that does not
  overlap the bot's (both kept; the result says so, see ``SaveResult.merged``) and answers
  ``editconflict`` for one that does;
- ``starttimestamp`` of the read and no ``recreate``, so a page deleted meanwhile stays deleted;
- ``nocreate`` for a page that existed, ``createonly`` for one that did not;
- ``assert=bot`` (or ``user``) with ``assertuser`` (set after pywikibot, which forces
  ``assert=user`` on every write), the bot flag, and pywikibot's ``maxlag``,
  throttle and retry handling for ``maxlag``/``ratelimited``/``readonly``/``badtoken``.

``abusefilter-warning`` is reported, never resubmitted (``Page.save`` resubmits it).
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from wmstrategybot.errors import (
    SKIP_CODES,
    ConfigError,
    EditConflict,
    PageDeleted,
    SkippedPage,
    SlowDown,
    SourceError,
)
from wmstrategybot.model.pages import PageRecord
from wmstrategybot.model.settings import SiteConfig
from wmstrategybot.model.titles import target_problem, template_name
from wmstrategybot.privacy import add_secret, guard_pywikibot
from wmstrategybot.render.kinds import KINDS, target_pages
from wmstrategybot.sources.account import SiteAccount, simulating
from wmstrategybot.sources.base import SaveResult, Source
from wmstrategybot.sources.sitewatch import SiteWatchlist, chunks

log = logging.getLogger(__name__)

READ_BATCH = 50
READ_BATCH_HIGH = 500  # with the apihighlimits right (bots), once logged in
#: what reading an answer of another shape than MediaWiki's API gives raises (a list where an
#: object belongs, a key missing, a number where a title belongs)
SHAPE_ERRORS = (AttributeError, KeyError, TypeError, IndexError, ValueError)
_Cls = TypeVar("_Cls", bound=type)


def api_address(family: str | None = None, code: str | None = None) -> str:
    """The address of the wiki's API (pywikibot's configured site without a family and code),
    for messages; the family and code where it cannot be told."""
    try:
        from pywikibot import config as pwb_config
        from pywikibot.family import Family

        fam = Family.load(family or pwb_config.family)
        lang = code or pwb_config.mylang
        return str(fam.base_url(lang, fam.apipath(lang)))
    except Exception:
        return f"{family}:{code}"


def _answers_checked(cls: _Cls) -> _Cls:
    """Every public method of a site source (its mixins' too): an answer of another shape than
    MediaWiki's API gives is a SourceError of one line naming the wiki's address (exit 2, an
    event's error under `run --all`), never an internal error."""

    def checked(method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except SHAPE_ERRORS as exc:
                what = str(exc).splitlines()[0] if str(exc) else ""
                raise SourceError(f"{self.address}: the wiki answered {method.__name__}() in a shape MediaWiki's "
                                  f"API does not give ({type(exc).__name__}: {what}); nothing was written from "
                                  "that answer") from None
        return wrapper

    for name, member in inspect.getmembers(cls, inspect.isfunction):
        if not name.startswith("_") and not isinstance(inspect.getattr_static(cls, name), staticmethod):
            setattr(cls, name, checked(member))
    return cls


def apply_limits(maxlag: int, throttle: float | None) -> None:
    """maxlag on every request and the seconds between edits (None: pywikibot's put_throttle),
    in pywikibot's config: one setting for the whole process (`run --all`: for the whole job)."""
    from pywikibot import config as pwb_config

    # pywikibot 11.8 split maxlag into read_maxlag/write_maxlag
    if hasattr(pwb_config, "write_maxlag"):
        pwb_config.write_maxlag = pwb_config.read_maxlag = maxlag
    else:
        pwb_config.maxlag = maxlag
    if throttle is not None:
        pwb_config.put_throttle = throttle


@_answers_checked
class SiteSource(SiteAccount, SiteWatchlist, Source):
    """Pages of a MediaWiki site, through a pywikibot ``APISite``."""

    writable = True
    watchlist = True

    def __init__(self, site: Any):
        self.site = site
        self.name = f"site:{site}"
        self._start: dict[str, str] = {}
        self.requests = 0
        self.reads = 0  # of which action=query
        # each run's session records the wiki's clock (``curtimestamp``) at its first request,
        # whether each title read (logged in) is on the bot's watchlist (for good, not for a
        # while: checked for free with every read) and each title as the wiki spells it
        self._temporary_watches = False  # the wiki has watches that expire ($wgWatchlistExpiry)

    @property
    def address(self) -> str:
        """The address of the wiki's API, which messages about the wiki failing name."""
        try:
            return str(self.site.base_url(self.site.apipath()))
        except Exception:  # a site of another kind than pywikibot's APISite
            return str(self.site)

    @classmethod
    def from_config(cls, config: Any, limits: tuple[int, float | None] | None = None) -> SiteSource:
        """The site named in the event config (None: pywikibot's configured site, user-config.py's
        family and mylang), with the user's pywikibot configuration; `limits`: the maxlag and
        throttle of a job, set before the site exists (pywikibot's throttle reads them then)."""
        if limits is not None:
            try:
                apply_limits(*limits)
            except Exception as exc:  # pywikibot refuses to import without a usable config
                raise SourceError(f"cannot load pywikibot: {str(exc).splitlines()[0] if str(exc) else exc!r}") from None
        try:
            import pywikibot
        except Exception as exc:  # pywikibot refuses to import without a usable config
            raise SourceError(f"cannot load pywikibot: {str(exc).splitlines()[0] if str(exc) else exc!r}") from None
        guard_pywikibot()  # before it talks to the wiki: its logs hold request parameters
        if config is not None:
            apply_limits(config.bot.maxlag, config.bot.throttle)
        family = config.site.family if config is not None else None
        code = config.site.code if config is not None else None
        try:
            site = pywikibot.Site(code, family)
        except Exception as exc:
            fam, lang = family or pywikibot.config.family, code or pywikibot.config.mylang
            raise SourceError(f"cannot open the wiki {fam}:{lang} at {api_address(fam, lang)}: "
                              f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
        try:  # the password pywikibot will log in with, to redact wherever it shows up
            from pywikibot.login import LoginManager

            add_secret(LoginManager(site=site).password)
        except Exception:  # no account configured: nothing to log in with, nothing to hide
            pass
        source = cls(site)
        if config is not None:
            source.check_targets(config)
        return source

    def wiki(self) -> SiteConfig:
        return SiteConfig(family=self.site.family.name, code=self.site.code)

    def namespace_numbers(self) -> frozenset[int]:
        """The wiki's namespaces, from its siteinfo (pywikibot keeps it: usually no request)."""
        try:
            return frozenset(int(n) for n in self.site.namespaces)
        except Exception as exc:
            raise SourceError(f"{self.site}: cannot read the wiki's namespaces: {str(exc).splitlines()[0] if str(exc) else exc!r}") from None

    def has_extension(self, name: str) -> bool:
        """Whether the wiki has the extension, from its siteinfo (pywikibot keeps it)."""
        try:
            return bool(self.site.has_extension(name))
        except Exception as exc:
            raise SourceError(f"{self.site}: cannot read the wiki's extensions: {str(exc).splitlines()[0] if str(exc) else exc!r}") from None

    def check_targets(self, config: Any, subpages_of: str | None = None) -> None:
        """Resolve each target title with the wiki's own namespace table (localized names and
        aliases) and interwiki prefixes, before any read or write: never a user's page, a talk
        page or another wiki's (the config's offline check knows only English names).
        `subpages_of`: an on-wiki config's root, whose subpages may be a user's pages."""
        try:
            namespaces = self.site.namespaces
            interwiki = {str(i.get("prefix", "")).casefold() for i in self.site.siteinfo.get("interwikimap") or ()}
        except Exception as exc:
            raise SourceError(f"{self.site}: cannot read the wiki's namespaces: {str(exc).splitlines()[0] if str(exc) else exc!r}") from None

        def namespace(title: str) -> int:
            prefix, sep, _ = title.partition(":")
            found = namespaces.lookup_name(prefix) if sep and prefix.strip() else None
            return int(found.id) if found is not None else 0

        root = namespace(config.root)
        for page in target_pages(config):
            kind, title = KINDS[page.kind].config_key, page.title
            prefix, sep, _ = title.partition(":")
            key = " ".join(prefix.replace("_", " ").split()).casefold()
            if sep and namespace(title) == 0 and key in interwiki:
                why = f"links to another wiki (interwiki prefix {prefix!r}:)"
            else:
                why = target_problem(title, root, namespace(title), subpages_of=subpages_of,
                                     json=KINDS[page.kind].content_model == "json")
            if why:
                raise ConfigError(f"{config.origin} [targets]: {kind} target {title!r} {why} on {self.site}")
        status = config.bot.status_page
        if status:
            why = target_problem(status, root, namespace(status), user_page=True)
            account = self.site.username()
            owner = status.partition(":")[2].partition("/")[0].replace("_", " ").strip()
            below_root = bool(subpages_of) and status.startswith(f"{subpages_of}/")
            if not why and not below_root and namespace(status) == 2 and account and owner[:1].upper() + owner[1:] != account:
                why = f"is the page of another user than the bot's account ({account})"
            if why:
                raise ConfigError(f"{config.origin} [bot]: status_page {status!r} {why} on {self.site}")

    def _request(self, **params: Any) -> dict[str, Any]:
        from pywikibot.exceptions import APIError, ApiTimeoutError, Error

        self.requests += 1
        self.reads += params.get("action") == "query"
        assertion = params.pop("assert", None)
        try:
            request = self.site.simple_request(**params)
            if assertion:
                request["assert"] = assertion
            data = request.submit()
            session = self.session
            if session.server_time is None and isinstance(data, dict) and data.get("curtimestamp"):
                session.server_time = data["curtimestamp"]
            return data
        except APIError:
            raise
        except (ApiTimeoutError, TimeoutError) as exc:
            raise SlowDown(
                f"{self.address}: the wiki kept asking the bot to wait (maxlag, ratelimited, readonly) or failing; "
                f"gave up after the configured retries ({str(exc).splitlines()[0]})"
            ) from None
        except Error as exc:
            raise SourceError(f"{self.address}: the wiki failed: {str(exc).splitlines()[0]}") from None

    def _batch(self) -> int:
        """Titles a query may name: 50, or 500 once logged in with apihighlimits (reads never log in)."""
        if self.site.logged_in() and self.site.has_right("apihighlimits"):
            return READ_BATCH_HIGH
        return READ_BATCH

    def read(self, titles: Iterable[str]) -> dict[str, PageRecord]:
        """Latest revision (text, id, timestamp, user, model) of each title, 50 titles a request."""
        from pywikibot.exceptions import APIError

        wanted = list(dict.fromkeys(titles))
        out: dict[str, PageRecord] = {}
        for batch in chunks(wanted, self._batch()):
            params: dict[str, Any] = dict(
                action="query",
                prop="revisions|info",
                rvprop="ids|timestamp|content|contentmodel|user",
                rvslots="main",
                titles=batch,
                curtimestamp=True,
                formatversion=2,
            )
            logged_in = self.site.logged_in()
            if logged_in:
                params["inprop"] = "watched"
            renamed: dict[str, str] = {}
            pages: dict[str, dict[str, Any]] = {}
            now = None
            while True:  # a response over the API's size cap holds back texts and says `continue`
                try:
                    data = self._request(**params)
                except APIError as exc:
                    raise SourceError(f"{self.site}: reading pages failed: {exc.code}: {exc.info}") from None
                query = data.get("query", {})
                renamed.update({n["from"]: n["to"] for n in query.get("normalized", [])})
                for p in query.get("pages", []):
                    if p.get("revisions") or p["title"] not in pages:
                        pages[p["title"]] = p
                now = now or data.get("curtimestamp")
                if "continue" not in data:
                    break
                params.update(data["continue"])
            for title in batch:
                page = pages.get(renamed.get(title, title))
                if page is None or page.get("invalid"):
                    raise SourceError(f"{self.site}: invalid title: {title!r}")
                if now:
                    self._start[title] = now
                self.session.canonical[title] = page.get("title", title)
                if logged_in:
                    self.session.watched[title] = self._watched(page)
                if page.get("missing"):
                    out[title] = PageRecord(title, None)
                    continue
                if not page.get("revisions"):
                    raise SourceError(f"{self.site}: no text came back for {title!r}; not treating it as missing")
                rev = page["revisions"][0]
                slot = rev.get("slots", {}).get("main", rev)
                out[title] = PageRecord(
                    title=title,
                    text=slot.get("content", ""),
                    revision=rev["revid"],
                    timestamp=rev["timestamp"],
                    content_model=slot.get("contentmodel", page.get("contentmodel", "wikitext")),
                    user=rev.get("user"),
                )
        return out

    def revisions(self, titles: Iterable[str]) -> dict[str, int | str | None]:
        """Latest revision id of each title: one request per 50 titles, no page text."""
        from pywikibot.exceptions import APIError

        wanted = list(dict.fromkeys(titles))
        out: dict[str, int | str | None] = {}
        logged_in = self.site.logged_in()
        for batch in chunks(wanted, self._batch()):
            try:
                data = self._request(action="query", prop="info", titles=batch, curtimestamp=True, formatversion=2,
                                     **({"inprop": "watched"} if logged_in else {}))
            except APIError as exc:
                raise SourceError(f"{self.site}: reading revisions failed: {exc.code}: {exc.info}") from None
            query = data.get("query", {})
            renamed = {n["from"]: n["to"] for n in query.get("normalized", [])}
            pages = {p["title"]: p for p in query.get("pages", [])}
            for title in batch:
                page = pages.get(renamed.get(title, title), {})
                if page.get("invalid"):
                    raise SourceError(f"{self.site}: invalid title: {title!r}")
                if page:
                    self.session.canonical[title] = page.get("title", title)
                if logged_in and page:
                    self.session.watched[title] = self._watched(page)
                out[title] = None if page.get("missing") or "lastrevid" not in page else page["lastrevid"]
        return out

    def embedded_in(self, template: str) -> list[str]:
        """The pages in every namespace that transclude the template, as the wiki lists them: one
        request per 500 titles (5,000 for a bot logged in), ``list=embeddedin``."""
        from pywikibot.exceptions import APIError

        title = f"Template:{template_name(template)}"
        params: dict[str, Any] = dict(action="query", list="embeddedin", eititle=title, eilimit="max",
                                      curtimestamp=True, formatversion=2)
        out: list[str] = []
        while True:
            try:
                data = self._request(**params)
            except APIError as exc:
                raise SourceError(f"{self.site}: listing the pages that use {title} failed: {exc.code}: {exc.info}") from None
            out.extend(p["title"] for p in data.get("query", {}).get("embeddedin", []))
            if "continue" not in data:
                return out
            params.update(data["continue"])

    def purge(self, titles: Iterable[str]) -> None:
        """``action=purge`` with ``forcelinkupdate``, 50 titles a request, after a save made as the bot."""
        wanted = list(dict.fromkeys(titles))
        for start in range(0, len(wanted), READ_BATCH):
            self._request(action="purge", titles="|".join(wanted[start:start + READ_BATCH]), forcelinkupdate=True)

    def save(self, page: PageRecord, text: str, edit_summary: str, content_model: str | None = None) -> SaveResult:
        """Save `text` over the revision `page` was read at; never over a newer one."""
        from pywikibot.exceptions import APIError

        self.login()
        if simulating():  # pywikibot would answer a made-up success: say what it is instead
            return SaveResult(page.title, page.revision, created=False, changed=False, simulated=True)
        is_bot = self.site.has_right("bot")
        params: dict[str, Any] = {
            "action": "edit",
            "title": page.title,
            "text": text,
            "summary": edit_summary,
            "token": self._token("csrf"),
            "assert": "bot" if is_bot else "user",
            "assertuser": self.site.username(),
            "formatversion": 2,
        }
        if is_bot:
            params["bot"] = True
        start = self._start.get(page.title)
        if start:
            params["starttimestamp"] = start
        if page.exists:
            params.update(baserevid=page.revision, nocreate=True)
        else:
            params["createonly"] = True
            if content_model and content_model != "wikitext":
                params["contentmodel"] = content_model
        try:
            data = self._request(**params)
        except APIError as exc:
            code = exc.code
            if code == "editconflict" or code == "articleexists":
                raise EditConflict(f"{page.title}: edit conflict ({code})") from None
            if code in ("pagedeleted", "missingtitle"):
                raise PageDeleted(f"{page.title}: deleted since it was read; not recreated ({code})") from None
            reason = SKIP_CODES.get(code) or SKIP_CODES.get(code.split("-")[0]) or exc.info
            raise SkippedPage(page.title, code, reason) from None
        edit = data.get("edit", {})
        if edit.get("result") != "Success":
            # (a captcha or an extension's refusal: its details change every time, so not them)
            raise SkippedPage(page.title, str(edit.get("code") or edit.get("result") or "failure"),
                              str(edit.get("info") or "the wiki did not save the edit"))
        if edit.get("nochange"):
            return SaveResult(page.title, page.revision, created=False, changed=False)
        self._start.pop(page.title, None)
        # MediaWiki merges an edit with the newer revisions it does not overlap
        # (EditPage::mergeChangesIntoContent) instead of answering editconflict
        merged = bool(page.exists and edit.get("oldrevid") and edit["oldrevid"] != page.revision)
        return SaveResult(page.title, edit.get("newrevid"), created=not page.exists, merged=merged)
