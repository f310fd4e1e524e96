# The project's index of commands: one line a target; the logic lives in scripts/ and the CLI.
ROWS ?= 307511
SEED ?= 42
export MLFLOW_DISABLE_TELEMETRY := true
export GRADIO_ANALYTICS_ENABLED := False

.PHONY: help install run test test-containers data train up down bench lint clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

install:  ## Install the workspace (uv itself first if missing)
	@scripts/install.sh

run: install  ## Run the whole product on the embedded default (SQLite + local MLflow under var/)
	@ROWS=$(ROWS) SEED=$(SEED) scripts/run.sh

test: install  ## Run every test (PostgreSQL tests need 127.0.0.1:5432; skipped with a notice elsewhere)
	@scripts/test.sh

data: install  ## Generate the synthetic data set (ROWS, SEED) and load it into the database
	@ROWS=$(ROWS) SEED=$(SEED) scripts/data.sh

train: install  ## Train, evaluate and register a model on the loaded data (quick profile)
	uv run credit train --profile quick

up:  ## The product in containers: starts Docker if needed, builds, waits for health (docs/deployment.md)
	@scripts/up.sh

down:  ## Stop the containers (volumes kept; `scripts/compose.sh down -v` removes them)
	@scripts/compose.sh down

test-containers: install  ## Build the images, run the stack on a small data set, test it through its ports
	@scripts/test-containers.sh

bench: install  ## Run the benchmarks (full size) and print their figures
	@scripts/bench.sh

lint: install  ## Ruff, mypy and pip-audit of the locked dependencies (SKIP_AUDIT=1 offline)
	@scripts/lint.sh

clean:  ## Remove the embedded state under var/ (data, database, MLflow store, logs)
	rm -rf var
