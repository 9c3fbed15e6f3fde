"""Rasa channel connectors of this project (loaded by class path from credentials.yml)."""
