"""The bot's domain logic: rubric, answer parsing, scoring and texts.

Plain Python with no Rasa imports, so it can be read and tested on its own.
"""
