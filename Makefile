# The two commands a newcomer needs are `make report` and `make test`;
# everything else here is for developers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
WB := $(BIN)/workbench
STAMP := $(VENV)/.installed-stamp
LAB_STAMP := $(VENV)/.lab-stamp
DEV_LOCK := requirements/dev.lock
LAB_LOCK := requirements/lab.lock
SPARK_LOCK := requirements/spark.lock
SPARK_STAMP := $(VENV)/.spark-stamp
DEMO_SEED ?= 42
# Two cutoffs of one world, so the report can show how last week's figures were restated.
DEMO_EARLY_CUTOFF ?= 2025-12-21
DEMO_CUTOFF ?= 2026-01-10
DEMO := data/snapshots/$(DEMO_CUTOFF)

.PHONY: report test lint demo lab lock bench strip clean spark

# The environment is exactly the lock: every package at its locked version,
# then the project itself as an editable install (built with the locked
# hatchling, so nothing is fetched for the build).
$(STAMP): pyproject.toml $(DEV_LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r $(DEV_LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name workbench --display-name "Python (workbench)" >/dev/null
	touch $(STAMP)

# `make lock`: re-resolve requirements/*.lock from pyproject.toml; run it after
# changing a dependency there, then commit pyproject.toml, the locks and
# environment.yml (tests/test_environment.py checks all three agree).
# uv runs from a throwaway venv (.lock-tools/). Every direct dependency
# resolves to its lower bound in pyproject.toml (--resolution lowest-direct);
# indirect ones keep their locked versions unless `make lock UPGRADE=1`.
# lab.lock (core + dev + lab) is resolved first and constrains dev.lock
# (core + dev) and spark.lock (core + dev + spark), so a version is the same
# in all three.
UV_VERSION := 0.13.9
LOCK_TOOLS := .lock-tools
UV_COMPILE := $(LOCK_TOOLS)/bin/uv pip compile pyproject.toml --universal --python-version 3.11 \
	--resolution lowest-direct --custom-compile-command "make lock" $(if $(UPGRADE),--upgrade) --quiet

lock:
	test -x $(LOCK_TOOLS)/bin/uv || $(PYTHON) -m venv $(LOCK_TOOLS)
	$(LOCK_TOOLS)/bin/python -m pip install --quiet uv==$(UV_VERSION)
	$(UV_COMPILE) --extra dev --extra lab -o $(LAB_LOCK)
	$(UV_COMPILE) --extra dev -c $(LAB_LOCK) -o $(DEV_LOCK)
	$(UV_COMPILE) --extra dev --extra spark -c $(LAB_LOCK) -o $(SPARK_LOCK)

# The stamp full verification leaves (README, "Snapshots on disk"): a demo
# written before snapshots were verified is generated again.
$(DEMO)/_verified.json: | $(STAMP)
	$(WB) simulate --seed $(DEMO_SEED) --scale demo --cutoff $(DEMO_EARLY_CUTOFF)
	$(WB) simulate --seed $(DEMO_SEED) --scale demo --cutoff $(DEMO_CUTOFF)

demo: $(DEMO)/_verified.json

report: $(DEMO)/_verified.json
	$(WB) report --latest

test: $(STAMP)
	$(BIN)/python -m pytest

# Both checks run; either finding something fails the target.
lint: $(STAMP)
	$(BIN)/ruff check .; status=$$?; $(BIN)/ruff format --check . && exit $$status

$(LAB_STAMP): $(LAB_LOCK) $(STAMP)
	$(BIN)/python -m pip install --quiet -r $(LAB_LOCK)
	touch $(LAB_STAMP)

# `make spark`: the Spark engine's extra (pyspark, ~490 MB) into .venv, at
# spark.lock's versions; it also needs Java 17+ (docs/scale-out.md). Without
# it the `spark`-marked tests skip and say why.
$(SPARK_STAMP): $(SPARK_LOCK) $(STAMP)
	$(BIN)/python -m pip install --quiet -r $(SPARK_LOCK)
	touch $(SPARK_STAMP)

spark: $(SPARK_STAMP)

# Jupyter refuses to start as root unless told; containers often run as root.
lab: $(LAB_STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

bench: $(STAMP)
	$(BIN)/python -m bench.run

strip: $(STAMP)
	$(BIN)/nbstripout notebooks/*.ipynb

clean:
	rm -rf $(VENV) $(LOCK_TOOLS) build dist *.egg-info
