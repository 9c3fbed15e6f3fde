"""The dialogue policy: Rasa's RulePolicy plus the "message was cut" notice.

Every turn of this bot is a rule, so RulePolicy decides everything. This
subclass adds one thing: when `MessageLengthLimit` cut the user's message, the
bot's answer ends with `utter_message_cut` (the notice comes last because the
rules match "user message, then the answer"; an extra action before the answer
would make them miss). After the notice the bot listens.

This module is where `rasa_ext.install()` is called (the runtime patches are
listed in rasa_ext/__init__.py): the policy is part of the trained model, so
every process that serves the model applies them.
"""
from __future__ import annotations

from typing import Any, Dict, Optional, Text

from rasa.core.policies.policy import PolicyPrediction
from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

import rasa_ext
from rasa_ext.message_limit import MESSAGE_CUT

NOTICE_ACTION = "utter_message_cut"
NOTICE_SOURCE = "message_cut_notice"

rasa_ext.install()


def _latest_turn(tracker: DialogueStateTracker):
    """(latest user message, names of the actions run since it)."""
    actions = []
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return event, list(reversed(actions))
        if isinstance(event, ActionExecuted) and event.action_name:
            actions.append(event.action_name)
    return None, list(reversed(actions))


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class KonselorRulePolicy(RulePolicy):
    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        user, actions = _latest_turn(tracker)
        was_cut = bool(user and (user.parse_data or {}).get(MESSAGE_CUT))
        if was_cut and NOTICE_ACTION in domain.action_names_or_texts:
            if actions and actions[-1] == NOTICE_ACTION:
                return self._notice_prediction(ACTION_LISTEN_NAME, tracker, domain)
            prediction = super().predict_action_probabilities(
                tracker, domain, rule_only_data, **kwargs
            )
            answer_done = (
                prediction.max_confidence > 0
                and domain.action_names_or_texts[prediction.max_confidence_index]
                == ACTION_LISTEN_NAME
            )
            if answer_done and NOTICE_ACTION not in actions:
                return self._notice_prediction(NOTICE_ACTION, tracker, domain)
            return prediction
        return super().predict_action_probabilities(tracker, domain, rule_only_data, **kwargs)

    def _notice_prediction(self, action: Text, tracker, domain: Domain) -> PolicyPrediction:
        return self._rule_prediction(
            self._prediction_result(action, tracker, domain), NOTICE_SOURCE
        )
