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

Privacy (README "Privacy", `counselor/privacy.py`):

* erasure happens inside `save`: when the turn being saved ran
  `ERASE_ACTION`, every stored row of that sender is deleted and nothing is
  written. Rasa saves once per message, after the reply, under the
  conversation's lock (Redis with replicas), and appends the events it
  believes missing; deleting anywhere else would let the next save write the
  conversation back. The next message starts an empty conversation.
* retention: conversations whose last event is older than
  `BOT_RETENTION_DAYS` are deleted when the server starts and then once a day
  (`purge_idle`, also `make purge`).
"""
from __future__ import annotations

import logging
import os
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional, Text
from urllib.parse import unquote, urlsplit

import sqlalchemy as sa
from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from counselor import privacy

logger = logging.getLogger(__name__)

DATA_DIR_ENV = "BOT_DATA_DIR"
DEFAULT_DATA_DIR = "var/data"
SQLITE_FILE = "tracker.db"
POSTGRES_URL_ENV = "BOT_POSTGRES_URL"
REDIS_URL_ENV = "BOT_REDIS_URL"
# The action whose turn erases the sender's conversation (rasa_ext/local_actions.py).
ERASE_ACTION = "action_erase_conversation"
PURGE_INTERVAL_SECONDS = privacy.SECONDS_PER_DAY

# The store serving this process, for the privacy actions (one per `rasa run`).
_current: Optional["ConfiguredTrackerStore"] = None


def current() -> Optional["ConfiguredTrackerStore"]:
    return _current


def data_dir() -> Path:
    return Path(os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR)


class ConfiguredTrackerStore(SQLTrackerStore):
    """SQLite in the data directory, or PostgreSQL when BOT_POSTGRES_URL is set."""

    def __init__(self, domain=None, host: Optional[Text] = None, event_broker=None,
                 start_retention: bool = True, **kwargs: Any):
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
        global _current
        _current = self
        if start_retention:
            self._purge_and_reschedule()

    async def save(self, tracker: DialogueStateTracker) -> None:
        if _erase_requested(tracker):
            removed = self.erase(tracker.sender_id)
            logger.info("Erased a conversation on its user's request (%d events)", removed)
            return
        await super().save(tracker)

    def erase(self, sender_id: Text) -> int:
        """Deletes every stored event of one sender; returns how many."""
        with self.session_scope() as session:
            removed = session.query(self.SQLEvent).filter(
                self.SQLEvent.sender_id == sender_id).delete(synchronize_session=False)
            session.commit()
        return removed

    def stored_summary(self, sender_id: Text) -> tuple:
        """(first event time as UTC datetime or None, user messages, crisis messages)."""
        with self.session_scope() as session:
            first, users, crises = session.query(
                sa.func.min(self.SQLEvent.timestamp),
                sa.func.sum(sa.case((self.SQLEvent.type_name == UserUttered.type_name, 1), else_=0)),
                sa.func.sum(sa.case((self.SQLEvent.intent_name == "crisis", 1), else_=0)),
            ).filter(self.SQLEvent.sender_id == sender_id).one()
        when = datetime.fromtimestamp(first, tz=timezone.utc) if first is not None else None
        return when, int(users or 0), int(crises or 0)

    def purge_idle(self, days: int, now: Optional[datetime] = None) -> int:
        """Deletes conversations whose last event is older than `days`; returns how many."""
        cutoff = privacy.idle_cutoff(now or datetime.now(timezone.utc), days)
        with self.session_scope() as session:
            idle = session.query(self.SQLEvent.sender_id).group_by(self.SQLEvent.sender_id).having(
                sa.func.max(self.SQLEvent.timestamp) < cutoff).subquery()
            senders = [row[0] for row in session.query(idle.c.sender_id)]
            for start in range(0, len(senders), 500):
                session.query(self.SQLEvent).filter(
                    self.SQLEvent.sender_id.in_(senders[start:start + 500])
                ).delete(synchronize_session=False)
            session.commit()
        return len(senders)

    def _purge_and_reschedule(self) -> None:
        days = privacy.retention_days()
        try:
            removed = self.purge_idle(days)
            logger.info("Retention: removed %d conversations idle for more than %d days",
                        removed, days)
        except sa.exc.SQLAlchemyError as error:  # a busy database must not stop the server
            logger.warning("Retention purge failed, retrying in a day: %s", error)
        timer = threading.Timer(PURGE_INTERVAL_SECONDS, self._purge_and_reschedule)
        timer.daemon = True
        timer.start()


def _erase_requested(tracker: DialogueStateTracker) -> bool:
    """True when the turn being saved (since the last user message) ran ERASE_ACTION."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, ActionExecuted) and event.action_name == ERASE_ACTION:
            return True
    return False


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
