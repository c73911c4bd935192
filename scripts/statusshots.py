#!/usr/bin/env python3
"""The status page and the root page's box as organisers see them, in each outcome, photographed.

Starts the test wiki, loads ``examples/hackathon-2025`` (``wikipages.load``), installs the
bot's templates, then runs ``run --all`` three times, each after an organiser's edit, and
photographs the root page (its box) and the status page, desktop and 400 px wide:

- ``done``: the first run;
- ``refused``: someone edited inside the overview's region;
- ``error``: a typo in the template's call.

    .venv/bin/python scripts/statusshots.py [--out docs/images]

Exit 0 when every picture was taken, 2 when the wiki, the bot or chromium could not run.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

import screenshots  # noqa: E402
import testwiki  # noqa: E402
import wikipages  # noqa: E402

ROOT_DIR = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT_DIR / "examples" / "hackathon-2025"
ROOT = "Wikimedia Hackathon 2025/Documentation"
WINDOWS = {"": (1000, 900), "-400px": (400, 1400)}


def _run_all(pwb: Path, job: Path, state: Path) -> int:
    env = dict(os.environ, PYWIKIBOT_DIR=str(pwb))
    argv = [sys.executable, "-m", "wmstrategybot.cli.main", "-q", "--source", "site", "run", "--all",
            "--job", str(job), "--state", str(state)]
    return subprocess.run(argv, env=env, check=False).returncode


def _photograph(wiki: testwiki.TestWiki, outcome: str, out: Path) -> list[Path]:
    taken = []
    for name, title in (("root-box", ROOT), ("status", f"{ROOT}/Bot status")):
        url = f"{wiki.index_url}?title={quote(title.replace(' ', '_'))}"
        for suffix, window in WINDOWS.items():
            taken.append(screenshots.screenshot(url, out / f"{name}-{outcome}{suffix}.png", window))
    return taken


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(ROOT_DIR / "docs" / "images"))
    args = parser.parse_args(argv)
    out = Path(args.out)
    with tempfile.TemporaryDirectory(prefix="statusshots-") as tmp:
        work = Path(tmp)
        try:
            with testwiki.TestWiki(work / "wiki", extra_settings="$wgJobRunRate = 1;\n") as wiki:
                admin = wiki.admin_session()
                wikipages.load(admin, EXAMPLE)
                pwb = wiki.write_pywikibot_dir(work / "pywikibot")
                env = dict(os.environ, PYWIKIBOT_DIR=str(pwb))
                subprocess.run([sys.executable, "-m", "wmstrategybot.cli.main", "-q", "--source", "site",
                                "templates", "sync"], env=env, check=True, stdout=subprocess.DEVNULL)
                job = work / "job.toml"
                job.write_text('[job]\noperator = "User:Example operator"\nthrottle = 0\n')
                state = work / "job.db"
                taken = []
                _run_all(pwb, job, state)
                taken += _photograph(wiki, "done", out)
                overview = f"{ROOT}/Overview"
                admin.edit(overview, (admin.page_text(overview) or "").replace(
                    "Welcome words", "Welcome words (fixed by hand)"), "a fix inside the region")
                admin.edit(f"{ROOT}/Day 2", (admin.page_text(f"{ROOT}/Day 2") or "") + "\n== Closing ==\nThanks.\n",
                           "a session")
                _run_all(pwb, job, state)
                taken += _photograph(wiki, "refused", out)
                admin.edit(ROOT, (admin.page_text(ROOT) or "").replace("| days ", "| dayz "), "a typo")
                _run_all(pwb, job, state)
                taken += _photograph(wiki, "error", out)
        except (testwiki.WikiError, screenshots.ScreenshotError, subprocess.CalledProcessError) as exc:
            print(f"statusshots: {exc}", file=sys.stderr)
            return 2
    for path in taken:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
