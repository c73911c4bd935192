"""Publishing into a real MediaWiki (the throwaway wiki the `wiki` fixture starts).

The bot logs in with a BotPassword through pywikibot, syncs the templates and publishes an
event; people (other accounts) edit, delete and protect pages between its read and its save.
Each test loads its own copy of the snapshot's pages under its own root, so tests do not
share pages.
"""

from __future__ import annotations

import os
import re
from collections import Counter

from live import _cli, _write_config

from wmstrategybot.plan.guards import same_text
from wmstrategybot.publish.apply import apply
from wmstrategybot.publish.files import template_pages
from wmstrategybot.publish.read import plan
from wmstrategybot.publish.templates import plan_templates
from wmstrategybot.render.kinds import target_titles
from wmstrategybot.sources import Source
from wmstrategybot.wikitext.regions import find_regions


def test_templates_are_installed_by_the_bot_with_templatedata(templates_installed, admin, wiki):
    # the test wiki has no TemplateStyles: no sheet, and the templates without their <templatestyles> tag
    assert templates_installed.ok and templates_installed.count("created") == len(template_pages(templatestyles=False)) == 12
    assert "Template:Event track navbox/styles.css" not in {o.title for o in templates_installed.outcomes}
    assert "<templatestyles" not in admin.page_text("Template:Event track navbox")
    data = admin.get(action="templatedata", titles="Template:Event track session")
    (page,) = data["pages"].values()
    assert "title" in page["params"] and page["params"]["title"]["required"]
    history = admin.get(action="query", prop="revisions", titles="Template:Event track navbox", rvprop="user")
    assert history["query"]["pages"][0]["revisions"][0]["user"] == wiki.bot_user


def test_second_template_sync_makes_no_edit(event):
    src = event.source()
    again = plan_templates(event.config, src)
    assert {e.action for e in again.edits} == {"unchanged"}


def test_a_template_edited_by_a_person_is_not_overwritten(event, alice, admin):
    alice.edit("Template:Event track navbox day/doc", "My better doc.\n", "human")
    src = event.source()
    p = plan_templates(event.config, src)
    refused = {e.title: e.reason for e in p.edits if e.action == "refused"}
    assert "edited by Alice" in refused["Template:Event track navbox day/doc"]
    apply(p, src, event.config)
    assert admin.page_text("Template:Event track navbox day/doc") == "My better doc."


def test_publish_then_read_back_and_render(event, admin):
    report = event.publish()
    assert report.ok, report.outcomes
    assert report.count("created") == 2 and report.count("updated") == 2
    expected = {e.title: e.new_text for e in plan(event.config, SnapshotLike(event)).edits}
    for title in event.targets:
        live = admin.page_text(title)
        assert same_text(live, expected[title], "json" if title.endswith(".json") else "wikitext")
        if title.endswith(".json"):
            continue  # rendered by the JSON content handler as a table of values
        assert find_regions(live)
        parsed = admin.get(action="parse", page=title, prop="templates|text", formatversion=2)["parse"]
        missing = [t["title"] for t in parsed["templates"] if not t.get("exists")]
        assert missing == [], f"{title} uses missing templates {missing}"
        html = parsed["text"]
        assert html.count("<table") == html.count("</table>")
        assert "{|" not in html and "|}" not in html and "{{" not in html
    data = admin.get(action="query", prop="info", titles=event.config.targets.get("data"))["query"]["pages"][0]
    assert data["contentmodel"] == "json"


class SnapshotLike(Source):
    """What the bot would render from the wiki's current pages (reads as an anonymous reader)."""

    def __init__(self, event):
        self._src = event.source()
        self.user = None
        self.writable = False

    def read(self, titles):
        return self._src.read(titles)

    def describe(self):
        return "live"


def test_second_publish_makes_no_edit(event):
    assert event.publish().ok
    before = event.revisions()
    second = event.publish()
    assert {o.action for o in second.outcomes} == {"unchanged"}
    assert event.revisions() == before


def test_human_edit_between_read_and_save_survives(event, alice, admin):
    assert event.publish().ok
    day1 = event.title("Day 1")
    alice.edit(day1, admin.page_text(day1).replace("The Big Picture ==", "The Big Picture (revised) =="), "rename")
    src = event.source()
    p = plan(event.config, src)  # the bot has read every page
    navbox_before = admin.page_text(event.navbox)
    # A person edits the navbox (outside the bot's region) after the bot read it.
    alice.edit(event.navbox, navbox_before + "\nA note by Alice.", "human edit after the bot's read")
    report = apply(p, src, event.config)
    text = admin.page_text(event.navbox)
    assert "A note by Alice." in text
    assert "The Big Picture (revised)" in text
    assert {o.title: o.action for o in report.outcomes}[event.navbox] == "updated"


def test_conflicting_edit_inside_region_is_not_overwritten(event, alice, admin):
    assert event.publish().ok
    day1 = event.title("Day 1")
    alice.edit(day1, admin.page_text(day1).replace("The Possibilities ==", "The Possibilities (revised) =="), "x")
    src = event.source()
    p = plan(event.config, src)
    overview = event.config.targets.get("overview")
    mine = admin.page_text(overview).replace("|title=The Possibilities", "|title=The Possibilities, as Alice wants")
    alice.edit(overview, mine, "a person edits the generated list after the bot's read")
    report = apply(p, src, event.config)
    outcome = {o.title: o for o in report.outcomes}[overview]
    assert outcome.action in ("refused", "skipped") and "hand" in outcome.reason
    assert admin.page_text(overview) == mine


def test_page_deleted_between_read_and_save_is_not_recreated(event, alice, admin):
    assert event.publish().ok
    day2 = event.title("Day 2")
    alice.edit(day2, admin.page_text(day2).replace("The Way Forward ==", "The Way Ahead =="), "x")
    src = event.source()
    p = plan(event.config, src)
    overview = event.config.targets.get("overview")
    admin.delete(overview, "no longer wanted")
    report = apply(p, src, event.config)
    outcome = {o.title: o for o in report.outcomes}[overview]
    assert outcome.action == "skipped" and "not recreated" in outcome.reason
    assert admin.page_text(overview) is None
    assert "The Way Ahead" in admin.page_text(event.navbox)  # the other pages were published


def test_nobots_on_a_page_stops_edits_to_it(event, alice, admin):
    assert event.publish().ok
    alice.edit(event.navbox, "{{nobots}}\n" + admin.page_text(event.navbox), "no bots here")
    before = admin.latest_revid(event.navbox)
    day1 = event.title("Day 1")
    alice.edit(day1, admin.page_text(day1).replace("The Challenges ==", "The Hard Challenges =="), "x")
    report = event.publish()
    assert {o.title: o.action for o in report.outcomes}[event.navbox] == "refused"
    assert admin.latest_revid(event.navbox) == before
    assert "The Hard Challenges" in admin.page_text(event.config.targets.get("overview"))


def test_stop_page_stops_every_edit(event, alice, admin):
    alice.edit(event.stop, "stop: the bot is misbehaving", "stop")
    before = event.revisions()
    report = event.publish()
    assert report.stopped and "does not say 'run'" in report.stopped and not report.outcomes
    assert event.revisions() == before
    alice.edit(event.stop, "run", "go on")
    assert event.publish().ok


def test_protected_target_is_skipped_and_the_others_published(event, admin):
    admin.protect(event.config.targets.get("signups"), edit="sysop")
    before = admin.latest_revid(event.config.targets.get("signups"))
    report = event.publish()
    outcomes = {o.title: o for o in report.outcomes}
    assert outcomes[event.config.targets.get("signups")].action == "skipped"
    assert "protected" in outcomes[event.config.targets.get("signups")].reason
    assert outcomes[event.config.targets.get("overview")].action == "created"
    assert outcomes[event.navbox].action == "updated"
    assert admin.latest_revid(event.config.targets.get("signups")) == before


def test_text_outside_the_region_survives_and_edits_inside_are_detected(event, alice, admin):
    assert event.publish().ok
    overview = event.config.targets.get("overview")
    alice.edit(overview, "Alice's introduction.\n" + admin.page_text(overview) + "\n== Comments ==\nNice. ~~~~", "x")
    day3 = event.title("Day 3")
    alice.edit(day3, admin.page_text(day3).replace("Wrapping up ==", "Wrapping it all up =="), "x")
    assert event.publish().ok
    text = admin.page_text(overview)
    assert text.startswith("Alice's introduction.\n") and "== Comments ==\nNice. [[User:Alice|Alice]]" in text
    assert "Wrapping it all up" in text
    inside = text.replace("|title=The Challenges", "|title=The Challenges!")
    alice.edit(overview, inside, "edit inside the generated list")
    alice.edit(day3, admin.page_text(day3).replace("Wrapping it all up ==", "Wrapping up, finally =="), "x")
    report = event.publish()
    outcome = {o.title: o for o in report.outcomes}[overview]
    assert outcome.action == "refused" and "edited by hand" in outcome.reason
    assert admin.page_text(overview) == inside


def test_diff_and_dry_run_never_log_in_nor_write(event, wiki, tmp_path):
    from live import PYWIKIBOT_DIR

    # A copy of the pywikibot dir whose BotPassword is wrong: any login attempt would fail.
    bad = tmp_path / "pwb"
    bad.mkdir()
    (bad / "families").mkdir()
    (bad / "families" / "testwiki_family.py").write_text((PYWIKIBOT_DIR / "families" / "testwiki_family.py").read_text())
    (bad / "user-config.py").write_text((PYWIKIBOT_DIR / "user-config.py").read_text())
    fd = os.open(bad / "user-password.py", os.O_WRONLY | os.O_CREAT, 0o600)
    os.write(fd, f"('{wiki.bot_user}', BotPassword('{wiki.botpassword_name}', '{'0' * 32}'))\n".encode())
    os.close(fd)
    cfg = _write_config(event, tmp_path)
    before = event.revisions()
    diff = _cli(["--config", str(cfg), "--source", "site", "diff"], pwb_dir=bad)
    assert diff.returncode == 1, diff.stderr
    assert f"+++ b/{event.config.targets.get('overview')}" in diff.stdout
    dry = _cli(["--config", str(cfg), "--source", "site", "publish", "--dry-run"], pwb_dir=bad)
    assert dry.returncode == 0, dry.stderr
    assert "would create" in dry.stdout
    assert event.revisions() == before
    real = _cli(["--config", str(cfg), "--source", "site", "publish"], pwb_dir=bad)
    assert real.returncode == 2 and "login failed" in real.stderr  # an error, not a passing skip (3)
    assert event.revisions() == before


def test_no_password_or_token_in_the_output_of_a_full_run(event, wiki, tmp_path, admin):
    from live import PYWIKIBOT_DIR

    cfg = _write_config(event, tmp_path)
    sync = _cli(["--config", str(cfg), "--source", "site", "-vv", "templates", "sync"])
    run = _cli(["--config", str(cfg), "--source", "site", "-vv", "publish"])
    assert run.returncode == 0, run.stdout + run.stderr
    assert admin.page_text(event.config.targets.get("overview"))
    logs = "".join(p.read_text(errors="replace") for p in PYWIKIBOT_DIR.rglob("*.log"))
    everything = sync.stdout + sync.stderr + run.stdout + run.stderr + logs
    assert wiki.botpassword not in everything
    assert not re.search(r"[0-9a-f]{32,}\+\\\\", everything), "a csrf/login token was printed"
    assert "lgpassword" not in everything and "Set-Cookie" not in everything


def test_ratelimited_waits_are_capped_then_the_run_stops_editing(event, wiki):
    limits = wiki.settings_file.parent / "ratelimits.php"
    limits.write_text("<?php\n$wgRateLimits['edit'] = ['newbie' => [1, 60], 'user' => [1, 60]];\n")
    try:
        before = event.revisions()
        report = event.publish()
    finally:
        limits.unlink()
    outcomes = {o.title: o for o in report.outcomes}
    not_tried = [o for o in report.outcomes if o.reason.startswith("not tried")]
    waited = [o for o in report.outcomes if "asking the bot to wait" in o.reason and o not in not_tried]
    assert len(waited) == 1 and not report.ok
    assert len(waited) + len(not_tried) + sum(o.action in ("created", "updated") for o in report.outcomes) == len(target_titles(event.config))
    after = event.revisions()
    for title, outcome in outcomes.items():
        if outcome.action == "skipped":
            assert after[title] == before[title]
    # once the wiki lets it, the next run finishes the job
    assert event.publish().ok


def _rows(text: str):
    from wmstrategybot.wikitext.signuptable import signup_rows

    return [(section, row.text) for section, row in signup_rows(text)]


def _counts(text: str) -> str:
    region = find_regions(text)["signup-counts"]
    return text[region.content_start : region.content_end]


def test_signup_rows_people_add_withdraw_and_malform_survive_every_run(event, alice, bob, admin):
    signups = event.config.targets.get("signups")
    assert event.publish().ok
    history = [_rows(admin.page_text(signups))]
    edits = [
        # Alice signs up for Technology (a section the bot created) with ~~~~, expanded by the wiki
        (alice, lambda t: t.replace("== Technology ==\n{| class=\"wikitable sortable\"\n! User !! Languages !! Why I want to join !! Signature\n",
                                    "== Technology ==\n{| class=\"wikitable sortable\"\n! User !! Languages !! Why I want to join !! Signature\n"
                                    "|-\n| [[User:Alice|Alice]] || en, fr || Tools {{!}} infrastructure || ~~~~\n", 1)),
        # Bob withdraws Birchwood42's... no: his own row, which he adds then strikes out
        (bob, lambda t: t.replace("== Advocacy ==\n{| class=\"wikitable sortable\"\n! User !! Languages !! Why I want to join !! Signature\n",
                                  "== Advocacy ==\n{| class=\"wikitable sortable\"\n! User !! Languages !! Why I want to join !! Signature\n"
                                  "|-\n| [[User:Bob|Bob]] || de, [[Category:Injected]] {{Evil}} || Policy || ~~~~\n", 1)),
        (bob, lambda t: t.replace("| [[User:Bob|Bob]] || de,", "| <s>[[User:Bob|Bob]]</s> || de,", 1)),
        # Alice malforms a row: a stray cell line without a row separator, and an unclosed comment
        (alice, lambda t: t.replace("|}\n\n== Resources ==", "| a stray cell || <!-- oops\n|}\n\n== Resources ==", 1)),
    ]
    for person, change in edits:
        person.edit(signups, change(admin.page_text(signups)), "a person edits the signup page")
        live = admin.page_text(signups)
        before = _rows(live)
        report = event.publish()
        after_text = admin.page_text(signups)
        outcome = {o.title: o for o in report.outcomes}[signups]
        assert outcome.action in ("updated", "unchanged", "refused"), outcome
        after = _rows(after_text)
        assert Counter(after) >= Counter(before), "a row was lost or changed"
        history.append(after)
    final = admin.page_text(signups)
    assert "[[User:Alice|Alice]] || en, fr || Tools {{!}} infrastructure || [[User:Alice|Alice]]" in final
    counts = _counts(final)
    assert "area=Technology|members=1|withdrawn=0|languages=en, fr" in counts
    assert "area=Advocacy|members=0|withdrawn=1" in counts
    parsed = admin.get(action="parse", page=signups, prop="categories|templates", formatversion=2)["parse"]
    # the category and template Bob typed into his cell are on the page because he wrote them,
    # but the bot's counts table repeats neither
    assert "Injected" not in counts and "Evil" not in counts
    assert {c["category"] for c in parsed["categories"]} <= {"Movement_Strategy_2018-20", "Injected"}


def test_bots_deny_naming_the_account_stops_edits_to_that_page(event, alice, admin, wiki):
    assert event.publish().ok
    alice.edit(event.navbox, admin.page_text(event.navbox) + f"\n{{{{bots|deny={wiki.bot_user}}}}}", "not this bot")
    before = admin.latest_revid(event.navbox)
    day1 = event.title("Day 1")
    alice.edit(day1, admin.page_text(day1).replace("The Possibilities ==", "Possibilities =="), "x")
    report = event.publish()
    assert {o.title: o.action for o in report.outcomes}[event.navbox] == "refused"
    assert admin.latest_revid(event.navbox) == before


def test_a_page_created_by_a_person_between_read_and_save_is_not_overwritten(event, alice, admin):
    src = event.source()
    p = plan(event.config, src)  # the Overview does not exist yet: the bot plans to create it
    overview = event.config.targets.get("overview")
    alice.edit(overview, "Alice started this page by hand.", "create")
    report = apply(p, src, event.config)
    outcome = {o.title: o for o in report.outcomes}[overview]
    assert outcome.action == "refused" and "no managed region" in outcome.reason
    assert admin.page_text(overview) == "Alice started this page by hand."
