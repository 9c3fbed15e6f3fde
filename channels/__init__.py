"""How people reach the bot: Rasa input channels named in credentials.yml (REST, Socket.IO, Telegram)."""
