# The two commands a newcomer needs are `make report` and `make test`;
# everything else here is for developers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
WB := $(BIN)/workbench
STAMP := $(VENV)/.installed-stamp
DEMO_SEED ?= 42
# Two cutoffs of one world, so the report can show how last week's figures were restated.
DEMO_EARLY_CUTOFF ?= 2025-12-21
DEMO_CUTOFF ?= 2026-01-10
DEMO := data/snapshots/$(DEMO_CUTOFF)

.PHONY: report test demo lab bench strip clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name workbench --display-name "Python (workbench)" >/dev/null
	touch $(STAMP)

$(DEMO)/_manifest.json: | $(STAMP)
	$(WB) simulate --seed $(DEMO_SEED) --scale demo --cutoff $(DEMO_EARLY_CUTOFF)
	$(WB) simulate --seed $(DEMO_SEED) --scale demo --cutoff $(DEMO_CUTOFF)

demo: $(DEMO)/_manifest.json

report: $(DEMO)/_manifest.json
	$(WB) report --latest

test: $(STAMP)
	$(BIN)/python -m pytest

# Jupyter refuses to start as root unless told; containers often run as root.
lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

bench: $(STAMP)
	$(BIN)/python -m bench.run

strip: $(STAMP)
	$(BIN)/nbstripout notebooks/*.ipynb

clean:
	rm -rf $(VENV) build *.egg-info
