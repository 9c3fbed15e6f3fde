"""The action server: thin Rasa adapters around the `counselor` core."""
