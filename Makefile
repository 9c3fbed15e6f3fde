# One-word commands; see README.md. Every target sets up .venv first if needed.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
SPACY_PIPELINE := build/spacy_id/meta.json
MODEL := models/bot.tar.gz
TRAINING_INPUTS := config.yml domain.yml $(shell find data -name '*.yml' 2>/dev/null) $(SPACY_PIPELINE) rasa_ext/classifier.py \
  rasa_ext/crisis_detector.py counselor/crisis_model.py counselor/crisis_examples.yml
ACTIONS_PORT ?= 5055

export TF_CPP_MIN_LOG_LEVEL ?= 2
export SQLALCHEMY_SILENCE_UBER_WARNING ?= 1
export PYTHONWARNINGS ?= ignore
# pip downloads are cached outside the repo, so a fresh clone installs fast.
export PIP_CACHE_DIR ?= $(HOME)/.cache/pip

.PHONY: install train chat test clean system-deps

install: $(VENV)/.installed $(SPACY_PIPELINE)

$(VENV)/.installed: requirements.lock pyproject.toml
	@python=$$(scripts/find-python310.sh) || exit 1; \
	  [ -x $(PY) ] || { echo "Creating $(VENV) with $$python"; $$python -m venv $(VENV); }
	$(PY) -m pip install --quiet --disable-pip-version-check "pip==24.0" "setuptools==70.3.0" "wheel==0.45.1"
	# Exact versions, no resolver: the same set of packages every time.
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

$(SPACY_PIPELINE): $(VENV)/.installed counselor/nlp.py
	$(PY) -m counselor.nlp build/spacy_id

# rasa train reuses cached components, so a text-only change retrains fast.
$(MODEL): $(VENV)/.installed $(TRAINING_INPUTS)
	$(RASA) train --fixed-model-name bot --out models
	@touch $@

train: install $(MODEL)

# A terminal conversation (scripts/chat.py) over the REST channel of a local Rasa server;
# server logs go to var/. Ctrl-C or /stop ends it and stops both servers.
chat: install $(MODEL)
	@mkdir -p var; rasa_port=$${RASA_PORT:-5005}; \
	  SANIC_HOST=$${ACTIONS_INTERFACE:-127.0.0.1} $(RASA) run actions --port $(ACTIONS_PORT) > var/actions.log 2>&1 & actions=$$!; \
	  RASA_TOKEN= ACTION_SERVER_URL=$${ACTION_SERVER_URL:-http://127.0.0.1:$(ACTIONS_PORT)/webhook} \
	    $(PY) scripts/serve_rasa.py --model $(MODEL) --credentials credentials.yml \
	    --port $$rasa_port > var/chat-rasa.log 2>&1 & rasa=$$!; \
	  trap 'kill $$actions $$rasa 2>/dev/null; wait 2>/dev/null' EXIT; trap 'true' INT; trap 'exit 143' TERM; \
	  $(PY) scripts/chat.py --url http://127.0.0.1:$$rasa_port --rasa-pid $$rasa

# The Debian packages the tests need (browser, emoji font, PostgreSQL, Redis), only if missing.
system-deps:
	@scripts/system-deps.sh

test: system-deps install $(MODEL)
	$(PY) -m pytest

clean:
	rm -rf build models results var .pytest_cache

# The conversation review (README "Conversation review"): var/review/index.html and
# var/review/to_label.yml from the tracker store; REVIEW_ARGS="--since 2026-11-01 --channel telegram".
.PHONY: review
review: install
	@$(PY) scripts/review.py $(REVIEW_ARGS)

# Removes conversations idle longer than BOT_RETENTION_DAYS (default 30); README "Privacy".
.PHONY: purge
purge: install
	@$(PY) scripts/purge.py

# --- Telegram (README "## Telegram"): action server + Rasa with the Telegram webhook on
# http://${RASA_INTERFACE:-127.0.0.1}:${RASA_PORT:-5005}/webhooks/telegram/webhook; needs
# TELEGRAM_TOKEN. Everything listens on 127.0.0.1 unless RASA_INTERFACE / ACTIONS_INTERFACE
# say otherwise; secrets come from the environment (scripts/serve_rasa.py).
.PHONY: telegram
telegram: install $(MODEL)
	@[ -n "$$TELEGRAM_TOKEN" ] || { echo "Set TELEGRAM_TOKEN (from BotFather) first; see README, section Telegram." >&2; exit 1; }
	@[ -n "$$TELEGRAM_WEBHOOK_URL" ] || echo "Note: TELEGRAM_WEBHOOK_URL is unset, so the webhook is not registered with Telegram."
	@mkdir -p var; \
	  SANIC_HOST=$${ACTIONS_INTERFACE:-127.0.0.1} $(RASA) run actions --port $(ACTIONS_PORT) > var/actions.log 2>&1 & actions=$$!; \
	  trap "kill $$actions 2>/dev/null" EXIT; \
	  ACTION_SERVER_URL=$${ACTION_SERVER_URL:-http://127.0.0.1:$(ACTIONS_PORT)/webhook} \
	    $(PY) scripts/serve_rasa.py --model $(MODEL) --credentials credentials.yml --port $${RASA_PORT:-5005}

# --- Web chat (README "## Web chat"): the page on http://localhost:${WEB_PORT:-8080},
# Rasa with the socket.io channel on ${RASA_PORT:-5005}, the action server on ACTIONS_PORT.
# Socket.IO and HTTP CORS accept only WEB_ALLOWED_ORIGINS (default: the page's own origins).
# The page needs no HTTP API: it is on only with RASA_TOKEN. Ctrl-C stops all three.
# Everything listens on 127.0.0.1 unless RASA_INTERFACE / ACTIONS_INTERFACE / WEB_INTERFACE
# say otherwise; secrets come from the environment (scripts/serve_rasa.py).
.PHONY: web
web: install $(MODEL)
	@mkdir -p var; \
	  web_port=$${WEB_PORT:-8080}; rasa_port=$${RASA_PORT:-5005}; \
	  origins=$$(echo "$${WEB_ALLOWED_ORIGINS:-http://localhost:$$web_port http://127.0.0.1:$$web_port}" | tr ',' ' '); \
	  SANIC_HOST=$${ACTIONS_INTERFACE:-127.0.0.1} $(RASA) run actions --port $(ACTIONS_PORT) > var/actions.log 2>&1 & actions=$$!; \
	  WEB_ALLOWED_ORIGINS="$$origins" ACTION_SERVER_URL=$${ACTION_SERVER_URL:-http://127.0.0.1:$(ACTIONS_PORT)/webhook} \
	    $(PY) scripts/serve_rasa.py --model $(MODEL) --credentials credentials.yml \
	    --cors $$origins --port $$rasa_port \
	    > var/rasa-web.log 2>&1 & rasa=$$!; \
	  trap 'kill $$actions $$rasa 2>/dev/null; wait' EXIT; \
	  echo "Starting the action server and Rasa (logs: var/actions.log, var/rasa-web.log)..."; \
	  echo "Allowed origins: $$origins"; \
	  $(PY) scripts/serve_web.py --host $${WEB_INTERFACE:-127.0.0.1} --port $$web_port --rasa-port $$rasa_port --wait-for-rasa

# Benchmark against Rasa's default (`rasa init`) config on the same data: prints
# the table and writes docs/benchmarks.md (bench/run.py; about 80 min when the peer
# must be trained, 25 when its stored model is reused; README "Benchmark").
.PHONY: bench
bench: install $(MODEL)
	$(PY) bench/run.py $(BENCH_ARGS)
