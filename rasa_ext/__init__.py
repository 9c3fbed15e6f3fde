"""What this project plugs into Rasa 3.6's server, in one room.

Loaded by Rasa by class path:

* NLU components (config.yml): `message_limit.MessageLengthLimit` (cuts
  over-long messages), `classifier.SafeLogisticRegressionClassifier` (blank
  text -> nlu_fallback instead of an exception), `crisis_detector.CrisisDetector`
  (the crisis model's probability) and `guards.SafetyAndScopeGuard`;
* the dialogue policy (config.yml): `policy.KonselorRulePolicy`;
* the stores (endpoints.yml): `stores.ConfiguredTrackerStore` (SQLite or
  PostgreSQL) and `stores.ConfiguredLockStore` (in memory or Redis).

Runtime patches, all applied by `install()` below. It is called once, from
`rasa_ext/policy.py`: the policy is part of every trained model, so every
process that serves the model (`rasa run`, `rasa shell`) applies them,
whatever endpoints file it was started with. Rasa 3.6 has no hook for any of
these, so each one replaces a module attribute of Rasa's; when Rasa is
upgraded, re-check the attribute and the behaviour its test compares against:

1. `action_guard`: `rasa.core.actions.action.RemoteAction`,
   `rasa.core.actions.forms.RemoteAction` and `.FormAction` become guarded
   subclasses, so a failed or slow action server gives an apology (and the
   crisis reply locally) instead of silence (rasa issues #5588, #7630).
   Re-check: `RemoteAction.run`, `_action_call_format`, `FormAction.validate`.
   Tests: tests/unit/test_action_calls.py, tests/e2e/test_persistence_and_faults.py.
2. `speedups`: `Event.resolve_by_type` is cached; Rasa walks every Event
   subclass per stored event (8-14 % of server time, bench/findings.md).
   Re-check: `rasa.shared.core.events.Event.resolve_by_type`.
   Test: tests/unit/test_speedups.py (same class as Rasa's for every type).
3. `local_actions`: `rasa.core.actions.action.action_for_name_or_text`
   returns local `action_ask_<trait>` actions and `action_clarify`, so the
   next interview question and the "Maksudmu ...?" clarification cost no
   action-server call. Re-check: the factory's name and that
   forms.py/processor.py still look it up on the module at call time.
   Test: tests/unit/test_local_actions.py.
"""
from __future__ import annotations

_installed = False


def install() -> None:
    """Applies every runtime patch listed in the module docstring (idempotent)."""
    global _installed
    if _installed:
        return
    from rasa_ext import action_guard, local_actions, speedups

    action_guard.install()
    speedups.install()
    local_actions.install()
    _installed = True
