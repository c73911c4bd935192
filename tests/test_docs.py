"""The README and docs/: short enough to read, and saying everything the code knows (every
command and option, config key, job-file key, template parameter and exit code), and what
they state about the bot's behaviour checked against the code."""

from __future__ import annotations

import re

import click
import pytest
from helpers import REPO

from wmstrategybot.cli.main import cli
from wmstrategybot.errors import MergeRefused
from wmstrategybot.exits import EXIT_TABLE
from wmstrategybot.wikitext.regions import fill, region_text

README = REPO / "README.md"
MAX_README_LINES = 400


def _docs() -> str:
    return "\n".join(p.read_text("utf-8") for p in [README, *sorted((REPO / "docs").glob("*.md"))])


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    out = []
    for name, command in group.commands.items():
        out.append(((*prefix, name), command))
        if isinstance(command, click.Group):
            out += _commands(command, (*prefix, name))
    return out


def test_the_readme_is_at_most_400_lines():
    assert len(README.read_text("utf-8").splitlines()) <= MAX_README_LINES


def test_the_readme_is_in_its_readers_order():
    text = README.read_text("utf-8")
    headings = [h for h in re.findall(r"^## (.+)$", text, re.M)]
    order = ["Quick start", "For organisers", "For operators", "For developers", "Layout"]
    assert [h for h in headings if h in order] == order
    quick = text.split("## Quick start")[1].split("\n## ")[0]
    block = quick.split("```sh\n")[1].split("```")[0]
    assert [line.split("#")[0].strip() for line in block.strip().splitlines()] == ["make demo", "make test"]
    assert "![" in text.split("## Quick start")[0]  # a picture of the generated pages first


def test_every_link_to_the_docs_resolves():
    for page in [README, *(REPO / "docs").glob("*.md")]:
        for target in re.findall(r"\]\(([^)#]+\.md)(?:#[^)]*)?\)", page.read_text("utf-8")):
            assert (page.parent / target).is_file(), (page.name, target)


def test_every_command_and_option_is_documented():
    docs = _docs()
    for path, command in _commands(cli):
        name = " ".join(path)
        assert f"wmstrategybot {name}" in docs or f"  {name}" in docs or f"`{name}`" in docs, name
        for param in command.params:
            opts = [o for o in getattr(param, "opts", []) if o != "--help"]
            assert not opts or any(re.search(rf"{re.escape(o)}\b", docs) for o in opts), (name, opts)
    for param in cli.params:
        opts = [o for o in getattr(param, "opts", []) if o not in ("--help", "--version")]
        assert not opts or any(re.search(rf"{re.escape(o)}\b", docs) for o in opts), opts


def test_every_config_key_is_documented():
    from wmstrategybot.config.event import _KNOWN
    from wmstrategybot.config.job import _KEYS
    from wmstrategybot.config.wiki import PARAMETERS

    docs = _docs()
    for table, keys in _KNOWN.items():
        assert f"[{table}]" in docs, table
        for key in keys or ():
            assert f"`{key}`" in docs, f"[{table}] {key}"
    for key in _KEYS:
        assert re.search(rf"^{re.escape(key)} = ", docs, re.M), f"[job] {key}"
    for name in PARAMETERS:
        assert f"`{name}`" in docs, name


def test_every_exit_code_is_in_the_readme_table():
    text = README.read_text("utf-8")
    for code, meaning in EXIT_TABLE:
        assert f"| {code} | {meaning} |" in text


def test_the_readme_states_the_job_exit_policy():
    text = README.read_text("utf-8")
    assert "The job's health, not the events'" in text and "exits 0" in text


# What the README and docs/saving.md say about handing a region back, checked.
_REGION = region_text("overview", "generated")


def test_removing_the_checksum_alone_does_not_hand_a_region_back():
    with pytest.raises(MergeRefused, match="holds text but no checksum"):
        fill(re.sub(r" sha1=\w+", "", _REGION), {"overview": "new"})


def test_emptying_a_region_whose_checksum_stays_is_refused():
    with pytest.raises(MergeRefused, match="edited by hand"):
        fill(_REGION.replace("generated", ""), {"overview": "new"})


def test_emptying_it_and_removing_the_checksum_hands_it_back():
    handed = re.sub(r" sha1=\w+", "", _REGION).replace("generated", "")
    assert "new" in fill(handed, {"overview": "new"})


def test_reverting_to_the_bots_text_hands_it_back():
    assert "new" in fill(_REGION, {"overview": "new"})


def test_the_docs_state_the_hand_back_as_the_code_does():
    docs = _docs()
    assert "removing the `sha1=...` hands the region back" not in docs
    assert "Removing the `sha1=...` alone does not hand the region back" in docs


def test_every_image_the_docs_show_is_in_the_repository():
    for page in [README, *(REPO / "docs").glob("*.md")]:
        for target in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", page.read_text("utf-8")):
            assert (page.parent / target).is_file(), (page.name, target)
