"""deploy/toolforge/jobs.yaml: valid for Toolforge's jobs framework (the keys `toolforge jobs
load` documents, those of `toolforge jobs run`) and serving every opted-in event hourly."""

from __future__ import annotations

import re
import shlex

from helpers import REPO

#: the keys of a job in a `toolforge jobs load` file (toolforge-jobs(1), "load FILE": the format
#: mirrors the arguments of `run`)
DOCUMENTED = {"name", "command", "image", "no-filelog", "filelog-stdout", "filelog-stderr", "mem", "cpu",
              "emails", "schedule", "continuous", "wait", "retry"}
EMAILS = {"none", "all", "onfailure", "onfinish"}
JOBS = REPO / "deploy" / "toolforge" / "jobs.yaml"


def _jobs() -> list[dict[str, str]]:
    """The YAML list of mappings, read without a YAML library (scalars and `>-` folded blocks)."""
    jobs: list[dict[str, str]] = []
    key = None
    for line in JOBS.read_text("utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#") or line == "---":
            continue
        m = re.match(r"^(- |  )([a-z-]+):\s*(.*)$", line)
        if m:
            if m[1] == "- ":
                jobs.append({})
            key, value = m[2], m[3]
            jobs[-1][key] = "" if value == ">-" else value.strip('"')
        else:
            assert key and line.startswith("    "), line
            jobs[-1][key] = (jobs[-1][key] + " " + line.strip()).strip()
    return jobs


def test_every_key_is_one_toolforge_documents():
    jobs = _jobs()
    assert [j["name"] for j in jobs] == ["wmstrategybot-bootstrap", "wmstrategybot-run", "wmstrategybot-follow",
                                         "wmstrategybot-follow-check"]
    for job in jobs:
        assert set(job) <= DOCUMENTED, set(job) - DOCUMENTED
        assert {"name", "command", "image"} <= set(job)
        assert job.get("emails", "none") in EMAILS


def test_the_scheduled_job_serves_every_event_hourly_with_a_job_file_and_a_state_path():
    run = _jobs()[1]
    assert run["schedule"] == "@hourly" and run["emails"] == "onfailure"
    args = shlex.split(run["command"])
    assert args[0].endswith("/wmstrategybot") and "--all" in args
    assert args[args.index("--source") + 1] == "site"
    assert "--job" in args and "--state" in args and "--config" not in args
    # the latest report is the state's report file, rewritten every run: none appended to a log
    assert "--report-json" not in args and "-q" in args


def _state(job: dict[str, str]) -> str:
    args = shlex.split(job["command"])
    return args[args.index("--state") + 1]


def test_the_follow_job_and_its_watchdog_share_the_hourly_runs_state_database():
    _, run, follow, check = _jobs()
    assert follow["continuous"] == "true" and "--follow" in shlex.split(follow["command"])
    assert "--check-follow" in shlex.split(check["command"]) and check["emails"] == "onfailure"
    assert _state(run) == _state(follow) == _state(check)
