import subprocess
from dataclasses import dataclass

import pytest

from tests import harness

AUTH_TOKEN = "e2e-test-token"


@pytest.fixture(scope="session")
def trained_model():
    """The model `make test` trained; make only retrains if inputs changed."""
    subprocess.run(["make", "-s", "train"], cwd=harness.ROOT, check=True)
    return harness.MODEL


@dataclass
class Bot:
    rasa: harness.Server
    actions: harness.Server
    auth_token: str = AUTH_TOKEN

    def chat(self, sender=None) -> harness.Chat:
        return harness.Chat(self.rasa.url, self.auth_token, sender)


@pytest.fixture(scope="session")
def bot(trained_model):
    """The real action server and Rasa server, started once per test session."""
    with harness.running_bot(harness.temp_log_dir(), AUTH_TOKEN) as (rasa, actions):
        yield Bot(rasa, actions)


@pytest.fixture
def chat(bot) -> harness.Chat:
    return bot.chat()


def pytest_terminal_summary(terminalreporter, config):
    for line in harness.METRICS:
        terminalreporter.write_line(line)
