"""Loaded into the peer's `rasa run` only: bench/run.py puts this folder on its PYTHONPATH.

The peer is the same bot (domain, data, channels, action server) with Rasa's
default config.yml. Our interview questions are asked by the Rasa server
(rasa_ext/local_actions.py), installed by our dialogue policy module,
which the peer's default policies never import; without this, the peer's
form would ask the action server for questions it does not serve, and no
interview would end. Only the questions: everything else in the peer stays
stock Rasa (no action guard, no speed-ups).
"""
from rasa_ext import local_actions

local_actions.install()
