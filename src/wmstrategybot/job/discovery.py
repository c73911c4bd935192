"""The events one `run --all` job serves: those found on the wiki (pages transcluding
{{Event track bot}} that the operator lets opt in) and the local TOML configs of the job file,
each with its key in the state store and its config as this run reads it."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from wmstrategybot.config.files import load_config
from wmstrategybot.config.job import JobConfig
from wmstrategybot.config.subtree import AllowRule, allow_rule_from_text, opt_in_problem
from wmstrategybot.config.wiki import (
    TEMPLATE,
    ConfigProblem,
    WikiConfig,
    read_wiki_config,
)
from wmstrategybot.errors import ConfigError
from wmstrategybot.model.pages import PageRecord
from wmstrategybot.model.settings import EventConfig, SiteConfig
from wmstrategybot.model.titles import namespace_of
from wmstrategybot.render.kinds import target_titles, without_titles
from wmstrategybot.sources.base import Source

#: seconds to read one on-wiki config (a forked worker): the root is a page anyone may write, and
#: mwparserfromhell is quadratic on some wikitext (15 KB of nested tables take seconds)
CONFIG_PARSE_TIMEOUT = 30.0
#: roots whose text a run holds at once (a page may be 2 MiB): the content reads' batch
CONFIG_BATCH = 50


def page_key(root: str) -> str:
    """The store's key of the event whose config is on `root`."""
    return f"page:{root}"


def config_key(config: EventConfig) -> str:
    """The store's key of an event served from a local TOML config."""
    return f"config:{config.id}"


@dataclass
class JobEvent:
    """One event of the job: where its config is (`root` on the wiki, or `path` on disk), its
    config once read (None with `problems`), and a fingerprint of the config (the root's
    revision, or the file's digest) that tells a paused event its config was edited."""

    key: str
    root: str | None = None
    path: Path | None = None
    config: EventConfig | None = None
    problems: list[str] = field(default_factory=list)
    fingerprint: str | None = None
    root_revision: int | str | None = None  # the root's revision as read this run

    @property
    def origin(self) -> str:
        return self.root if self.root is not None else str(self.path)

    @property
    def sort_key(self) -> str:
        """Events are served in a stable order: by root title."""
        return self.root if self.root is not None else (self.config.root if self.config else str(self.path))


def discover(source: Source, job: JobConfig, refused: list[dict[str, str]]) -> list[str]:
    """The roots of the events that opt in on the wiki (one ``list=embeddedin`` request per 500),
    those the operator's rule refuses left out (into `refused`: the bot never writes to them)."""
    check_namespaces(source, job)
    found = source.embedded_in(TEMPLATE)
    pages = allowed_pages(source, job) if job.allowlist else None
    rule = AllowRule(namespaces=job.namespaces, pages=pages)
    roots = []
    for title in sorted(found):
        why = opt_in_problem(title, rule)
        if why:
            refused.append({"title": title, "reason": f"{title} {why}"})
        else:
            roots.append(title)
    return roots


def check_namespaces(source: Source, job: JobConfig) -> None:
    """A job file's `namespaces` naming one the wiki does not have (or one that holds no pages) is
    an error of the job (ConfigError, exit 2), before any event is looked at: read as "no page may
    opt in there", it would take every event off the job and drop their state after the grace
    period."""
    if job.namespaces is None:
        return
    known = source.namespace_numbers()
    unknown = sorted(n for n in job.namespaces if n < 0 or (known is not None and n not in known))
    if unknown:
        names = ", ".join(str(n) for n in unknown)
        raise ConfigError(f"job file [job] namespaces: {source.describe()} has no namespace {names} that pages "
                          "can be in: no event is served, their state is kept; fix the job file")


def allowed_pages(source: Source, job: JobConfig) -> frozenset[str]:
    """The titles and prefixes the job's allowlist page lists. A missing page (deleted, moved) or
    one that lists nothing is an error of the job (ConfigError, exit 2): read as "no page may
    opt in", it would take every event off the job and drop their state after the grace period,
    and the job would look healthy meanwhile."""
    assert job.allowlist
    record = source.read([job.allowlist])[job.allowlist]
    where = f"job file [job] allowlist: [[{job.allowlist}]] on {source.describe()}"
    if not record.exists:
        raise ConfigError(f"{where} does not exist (deleted or moved?): no event is served, their state is kept; "
                          "create it again, or take allowlist out of the job file")
    pages = allow_rule_from_text(record.text or "")
    if not pages:
        raise ConfigError(f"{where} lists no page ('* [[Title]]' a line): no event is served, their state is kept; "
                          "list the pages that may opt in, or take allowlist out of the job file")
    return pages


def local_events(job: JobConfig) -> tuple[list[JobEvent], list[JobEvent]]:
    """The job file's TOML configs: those that load, and those that do not (with the error)."""
    good: list[JobEvent] = []
    bad: list[JobEvent] = []
    for path in job.configs:
        try:
            config = load_config(path)
        except ConfigError as exc:
            bad.append(JobEvent(f"config:{path}", path=path, problems=[str(exc)]))
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        good.append(JobEvent(config_key(config), path=path, config=with_job_settings(config, job), fingerprint=digest))
    return good, bad


def read_configs(events: list[JobEvent], records: Mapping[str, PageRecord], site: SiteConfig,
                 job: JobConfig) -> None:
    """The on-wiki events' configs from their roots as read (into each event: its config or its
    problems), each read under a time bound in one forked worker (a new one after a timeout)."""
    found: dict[str, WikiConfig] = {}
    if not hasattr(os, "fork"):
        found = {e.root: read_wiki_config(e.root, records[e.root].text, site) for e in events if e.root}
    else:
        ctx = multiprocessing.get_context("fork")
        pool = None
        try:
            for e in events:
                assert e.root is not None
                if pool is None:
                    pool = ctx.Pool(1)
                result = pool.apply_async(read_wiki_config, (e.root, records[e.root].text, site))
                try:
                    found[e.root] = result.get(timeout=CONFIG_PARSE_TIMEOUT)
                except multiprocessing.TimeoutError:
                    pool.terminate()
                    pool = None
                    found[e.root] = WikiConfig(e.root, None, (ConfigProblem(None, None, (
                        f"reading the config took longer than {CONFIG_PARSE_TIMEOUT:g} s: the page is too complex "
                        "to parse (e.g. thousands of nested tables)")),))
                except Exception as exc:  # a bug met on one page: that event fails, not the job
                    found[e.root] = WikiConfig(e.root, None, (ConfigProblem(None, None, (
                        f"internal error reading the config: {type(exc).__name__}: {exc}; please report this")),))
        finally:
            if pool is not None:
                pool.terminate()
    for e in events:
        assert e.root is not None
        record = records[e.root]
        e.fingerprint = None if record.revision is None else str(record.revision)
        e.root_revision = record.revision
        config = found[e.root]
        stranger = _user_space_stranger(e.root, record)
        if stranger:
            e.problems = [stranger]
        elif config.problems:
            e.problems = [str(p) for p in config.problems]
        else:
            assert config.config is not None
            e.config = with_job_settings(config.config, job)


#: the start of the problem of a root in another user's space (failures.py writes nothing there)
USER_SPACE_STRANGER = "this page is in the user space of "


def _user_space_stranger(root: str, record: PageRecord) -> str | None:
    """Why a root in a user's space is not served, or None: its last edit is not that user's (an
    editor opting in on another user's page would have the bot write pages there)."""
    prefix, sep, rest = root.partition(":")
    if not sep or namespace_of(root) != 2 or record.user is None:
        return None
    owner = rest.split("/", 1)[0].replace("_", " ").strip()
    editor = record.user.replace("_", " ").strip()
    if owner[:1].upper() + owner[1:] == editor[:1].upper() + editor[1:]:
        return None
    return (f"{USER_SPACE_STRANGER}{owner}, but its last edit is by {editor}: the bot serves a "
            f"page in a user's space only as that user left it (ask {owner} to save it)")


def with_job_settings(config: EventConfig, job: JobConfig) -> EventConfig:
    """The job's stop page, throttle and maxlag for every event: an event's own are not used."""
    return replace(config, bot=replace(config.bot, stop_page=job.stop_page, throttle=job.throttle, maxlag=job.maxlag))


def claim_targets(config: EventConfig, claimed: dict[str, str], key: str) -> tuple[EventConfig, list[dict[str, str]]]:
    """At most one save per page per run: the targets an earlier event of this run named are
    dropped from this event's config for the run (refused, with the reason); the others are
    claimed for `key`."""
    refused = []
    kept = []
    for title in target_titles(config):
        owner = claimed.get(title)
        if owner is not None and owner != key:
            refused.append({"title": title, "reason": f"also a page of the event {owner}, served first in this run: "
                                                      "one save per page per run"})
        else:
            kept.append(title)
    for title in [*kept, *([config.bot.status_page] if config.bot.status_page else [])]:
        claimed.setdefault(title, key)
    return _without(config, refused), refused


def _without(config: EventConfig, refused: list[dict[str, str]]) -> EventConfig:
    """The config without the targets refused."""
    return without_titles(config, [item["title"] for item in refused])
