# Quick start: `make demo` and `make test`. Both create .venv and install the project first.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
BOT     = $(VENV)/bin/wmstrategybot
STAMP   = $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: demo test typecheck wiki bench bench-all bench-follow bench-pathological snapshot clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

## demo: run the main job on the bundled 2018 snapshot; show what it would publish, write out/
demo: $(STAMP)
	@rm -rf out
	$(BOT) extract -o out/event.json
	$(BOT) render -o out/pages
	$(BOT) publish --dry-run
	@echo
	@echo "Diff summary (what a scheduled run would change):"
	@$(BOT) -q diff --stat || true
	@echo
	@echo "Rendered pages and data are in out/ (full diff: $(BOT) diff)."

## test: every test, including the ones against a real MediaWiki that the tests start; the
## offline ones on both cores (pytest-xdist), then the ones against the wiki on both cores,
## each worker with a wiki of its own and whole files (a file's tests share their set-up)
test: $(STAMP)
	@$(PY) -m pytest -m "not wiki" -n 2 $(PYTEST_ARGS); a=$$?; \
	$(PY) -m pytest -m wiki -n 2 --dist loadfile $(PYTEST_ARGS); b=$$?; \
	if [ $$a -eq 5 ] && [ $$b -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; \
	for rc in $$a $$b; do if [ $$rc -ne 0 ] && [ $$rc -ne 5 ]; then exit $$rc; fi; done

## typecheck: mypy --strict on the pure layers (tests/test_types.py runs the same)
typecheck: $(STAMP)
	$(PY) -m pytest -q tests/test_types.py

## wiki: start the test MediaWiki, load the snapshot's pages, run the bot once; click through
## wiki PAGES=DIR: load your event's pages instead (a dir: folder); prints the run --all command
PAGES ?=
wiki: $(STAMP)
ifeq ($(strip $(PAGES)),)
	$(PY) scripts/testwiki.py serve --load-snapshot --publish
else
	$(PY) scripts/testwiki.py serve --load-pages "$(PAGES)"
endif

## snapshot: rebuild the bundled XML export from snapshot/
snapshot: $(STAMP)
	$(PY) scripts/build_snapshot.py

bench: $(STAMP)
	$(PY) bench/run.py

## bench-all: 200 generated events: `run --all` against the single-event `run` once per event (test wiki)
bench-all: $(STAMP)
	$(PY) bench/allevents.py --events 200 --rss-events 50,200

## bench-follow: seconds from a person's save to the overview with run --all --follow (test wiki, local stream)
bench-follow: $(STAMP)
	$(PY) bench/follow.py --edits 20

## bench-pathological: time extract/render/compose on hostile inputs at size x and 2x (offline)
bench-pathological: $(STAMP)
	$(PY) bench/pathological.py

clean:
	rm -rf $(VENV) out .pytest_cache .hypothesis
