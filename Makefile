# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test eval bench clean browser

# The environment is rebuilt when the project or the lock changes.
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

run: $(STAMP)
	$(BIN)/figure-etl run etl/sample --output output

test: $(STAMP) browser
	$(BIN)/python -m pytest

# The report test renders output in headless Chromium. Installed with apt-get when
# missing (Debian, as root); never fails the build: without it that test is skipped.
browser:
	@{ command -v chromium && dpkg -s fonts-noto-cjk; } >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1 || \
	  (apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk) || \
	  echo "warning: could not install chromium; the browser test will be skipped"

# Throughput, stage times and peak memory on a synthetic corpus (BENCH_MB=200 for the full size);
# then the readers: F1 of PDF/HTML/DOCX against plain text, PDF page correctness, pages/s and
# peak memory on a BENCH_PAGES-page PDF.
BENCH_MB ?= 50
BENCH_PAGES ?= 300
bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py --mb $(BENCH_MB)
	$(BIN)/python benchmarks/bench_readers.py --pages $(BENCH_PAGES)

eval: $(STAMP)
	$(BIN)/figure-etl eval tests/gold etl/sample

clean:  # the tables, reports and job state of `make run` (a fresh start for the next run)
	find output -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
