"""`make purge`: removes conversations idle longer than BOT_RETENTION_DAYS (default 30).

Uses the same store as the bot (SQLite in BOT_DATA_DIR, or PostgreSQL with
BOT_POSTGRES_URL) and prints how many conversations were removed. The Rasa
server also does this at start and once a day (rasa_ext/stores.py).
"""
from __future__ import annotations

import logging
import sys

from counselor import privacy
from rasa_ext.stores import ConfiguredTrackerStore


def main() -> int:
    logging.basicConfig(level=logging.WARNING)
    try:
        days = privacy.retention_days()
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    store = ConfiguredTrackerStore(start_retention=False)
    removed = store.purge_idle(days)
    print(f"Removed {removed} conversation(s) idle for more than {days} days.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
