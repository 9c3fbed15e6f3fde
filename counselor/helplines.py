"""The crisis reply, built from helplines.yml (the one home of the numbers)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

HELPLINES_PATH = Path(__file__).with_name("helplines.yml")


@lru_cache(maxsize=1)
def load(path: Path = HELPLINES_PATH) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def crisis_message(data: dict | None = None) -> str:
    data = data or load()
    lines = [data["intro"], data["urgent"], "", "Layanan yang bisa kamu hubungi:"]
    lines += [f"• {line['number']}: {line['name']}" for line in data["lines"]]
    lines += ["", data["closing"]]
    return "\n".join(lines)
