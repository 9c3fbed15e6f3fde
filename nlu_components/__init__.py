"""Custom Rasa NLU components of this project (referenced by class path in config.yml)."""
