"""Starts `rasa run` with its secrets from the environment, never from a command line.

    .venv/bin/python scripts/serve_rasa.py [any `rasa run` options, no secrets]

`--auth-token` and `--jwt-secret` on a command line are visible to every user
of the machine (`ps`, /proc/PID/cmdline). This launcher reads them from the
environment and hands them to Rasa's own command-line entry point inside this
process, so the process's command line never carries them:

* `RASA_TOKEN`: turns Rasa's HTTP API on, protected by this token; unset =
  the API stays off and only the channels are served;
* `JWT_SECRET`: optional, JWT authentication of the HTTP API;
* `RASA_INTERFACE`: the address to listen on, default 127.0.0.1 (private);
  set 0.0.0.0 only behind a firewall or a reverse proxy on another host;
* `ACTION_SERVER_URL`: the action server, default the one in endpoints.yml
  (http://localhost:5055/webhook); replicas can share one.

Refuses a `--auth-token` or `--jwt-secret` given on its own command line.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SECRET_OPTIONS = ("--auth-token", "-t", "--jwt-secret")
DEFAULT_INTERFACE = "127.0.0.1"


def endpoints_with_action_server(url: str, source: Path) -> Path:
    """A copy of endpoints.yml whose action endpoint is `url` (under var/)."""
    endpoints = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    endpoints.setdefault("action_endpoint", {})["url"] = url
    directory = ROOT / "var"
    directory.mkdir(exist_ok=True)
    handle, path = tempfile.mkstemp(prefix="endpoints-", suffix=".yml", dir=directory)
    with os.fdopen(handle, "w", encoding="utf-8") as target:
        yaml.safe_dump(endpoints, target, sort_keys=False)
    return Path(path)


def rasa_argv(args: list, environ=os.environ) -> list:
    """The `rasa run` arguments: ours plus what the environment says. Raises
    SystemExit when a secret is passed on the command line."""
    if any(arg.split("=", 1)[0] in SECRET_OPTIONS for arg in args):
        raise SystemExit("Pass RASA_TOKEN / JWT_SECRET in the environment, not on the command line.")
    argv = ["rasa", "run", *args]
    if "--interface" not in args and "-i" not in args:
        argv += ["--interface", environ.get("RASA_INTERFACE") or DEFAULT_INTERFACE]
    token = environ.get("RASA_TOKEN")
    if token:
        argv += ["--enable-api", "--auth-token", token]
    if environ.get("JWT_SECRET"):
        argv += ["--jwt-secret", environ["JWT_SECRET"]]
    action_url = environ.get("ACTION_SERVER_URL")
    if action_url and "--endpoints" not in args:
        argv += ["--endpoints", str(endpoints_with_action_server(action_url, ROOT / "endpoints.yml"))]
    return argv


def main() -> None:
    argv = rasa_argv(sys.argv[1:])
    if not os.environ.get("RASA_TOKEN"):
        print("RASA_TOKEN is unset: Rasa's HTTP API stays off; only the channels are served.",
              file=sys.stderr)
    from rasa.__main__ import main as rasa_main

    sys.argv = argv  # in this process only; /proc/PID/cmdline keeps the launcher's own
    rasa_main()


if __name__ == "__main__":
    main()
