"""Where conversations live: tracker store and lock store chosen by environment.

`endpoints.yml` names these two classes, so one file serves both profiles:

* embedded (default): SQLite at `$BOT_DATA_DIR/tracker.db` (`BOT_DATA_DIR`
  defaults to `var/data`, relative to the directory `rasa run` starts in) and
  Rasa's in-memory lock store. A restarted server resumes every conversation.
* scale-out: `BOT_POSTGRES_URL=postgresql://user:password@host:5432/db` and
  `BOT_REDIS_URL=redis://[:password@]host:6379/1` put the trackers in
  PostgreSQL and the conversation locks in Redis, so several `rasa run`
  replicas can serve the same users (README "Persistence and scale-out").

Why classes and not `${VAR}` in endpoints.yml: Rasa 3.6 expands `${VAR}` with
`os.path.expandvars` and refuses unset variables; there is no default syntax,
so a plain `rasa run` without the variables would not start.

Rasa builds the tracker store as `Class(host=..., domain=..., event_broker=...,
**other keys)` and the lock store as `Class(endpoint_config=...)`.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, Optional, Text
from urllib.parse import unquote, urlsplit

from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore
from rasa.core.tracker_store import SQLTrackerStore

logger = logging.getLogger(__name__)

DATA_DIR_ENV = "BOT_DATA_DIR"
DEFAULT_DATA_DIR = "var/data"
SQLITE_FILE = "tracker.db"
POSTGRES_URL_ENV = "BOT_POSTGRES_URL"
REDIS_URL_ENV = "BOT_REDIS_URL"


def data_dir() -> Path:
    return Path(os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR)


class ConfiguredTrackerStore(SQLTrackerStore):
    """SQLite in the data directory, or PostgreSQL when BOT_POSTGRES_URL is set."""

    def __init__(self, domain=None, host: Optional[Text] = None, event_broker=None, **kwargs: Any):
        postgres_url = os.environ.get(POSTGRES_URL_ENV, "").strip()
        if postgres_url:
            if not postgres_url.startswith(("postgresql://", "postgresql+psycopg2://")):
                raise ValueError(f"{POSTGRES_URL_ENV} must start with postgresql://")
            # A full URL in `host` is used by SQLTrackerStore as it is.
            super().__init__(domain, dialect="postgresql", host=postgres_url,
                             event_broker=event_broker, **kwargs)
            logger.info("Conversations are stored in PostgreSQL at %s",
                        _without_password(postgres_url))
        else:
            directory = data_dir()
            directory.mkdir(parents=True, exist_ok=True)
            path = directory / SQLITE_FILE
            super().__init__(domain, dialect="sqlite", db=str(path),
                             event_broker=event_broker, **kwargs)
            logger.info("Conversations are stored in SQLite at %s", path.resolve())


class ConfiguredLockStore(LockStore):
    """Redis when BOT_REDIS_URL is set, else Rasa's in-memory lock store.

    A factory in class form: Rasa only loads lock stores by class path and calls
    `Class(endpoint_config=...)`, so `__new__` returns the real store.
    """

    def __new__(cls, endpoint_config=None, **_: Any) -> LockStore:  # type: ignore[misc]
        redis_url = os.environ.get(REDIS_URL_ENV, "").strip()
        if not redis_url:
            return InMemoryLockStore()
        parts = urlsplit(redis_url)
        if parts.scheme not in ("redis", "rediss"):
            raise ValueError(f"{REDIS_URL_ENV} must start with redis:// or rediss://")
        database = parts.path.strip("/")
        logger.info("Conversation locks are kept in Redis at %s", _without_password(redis_url))
        return RedisLockStore(
            host=parts.hostname or "localhost",
            port=parts.port or 6379,
            db=int(database) if database else 1,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            use_ssl=parts.scheme == "rediss",
            key_prefix="konselor",
        )


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()
