"""The classifier's tf-idf weighting per featurizer block, trained, stored and loaded
through Rasa's own model storage, as `rasa train` and `rasa run` do."""
import numpy as np
import pytest
import scipy.sparse as sp
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from sklearn.feature_extraction.text import TfidfTransformer

from rasa_ext.classifier import (SafeLogisticRegressionClassifier, inverse_document_frequency,
                                 sentence_block_widths, tfidf_per_block)

WORDS = ["tugas", "cocok", "halo", "apa"]


def message(text, intent=None, char_width=3):
    """A message with a word-count block and a (constant) character block."""
    counts = [[text.split().count(w) for w in WORDS]]
    msg = Message(data={TEXT: text, **({INTENT: intent} if intent else {})})
    msg.add_features(Features(sp.csr_matrix(counts), "sentence", TEXT, "words"))
    msg.add_features(Features(sp.csr_matrix(np.ones((1, char_width))), "sentence", TEXT, "chars"))
    return msg


def test_each_block_is_weighted_as_scikit_learn_would_and_normalised_on_its_own():
    X = sp.csr_matrix([[3, 0, 1, 0, 5, 5], [0, 1, 0, 0, 1, 1], [1, 1, 1, 1, 0, 2], [0, 0, 0, 0, 0, 0]])
    weighted = tfidf_per_block(X, inverse_document_frequency(X), [4, 2]).toarray()
    reference = np.hstack([TfidfTransformer(sublinear_tf=True).fit_transform(X[:, :4]).toarray(),
                           TfidfTransformer(sublinear_tf=True).fit_transform(X[:, 4:]).toarray()])
    np.testing.assert_allclose(weighted, reference)
    np.testing.assert_allclose(np.linalg.norm(weighted[:3, :4], axis=1), 1.0)
    np.testing.assert_allclose(np.linalg.norm(weighted[:3, 4:], axis=1), 1.0)
    assert not weighted[3].any()  # a row without counts stays empty, no division by zero
    assert sentence_block_widths(message("halo")) == [4, 3]


@pytest.fixture
def storage(tmp_path):
    return LocalModelStorage(tmp_path)


def context():
    return ExecutionContext(GraphSchema({}), "test")


@pytest.mark.parametrize("tfidf", [True, False])
def test_trained_classifier_survives_storage_and_classifies(storage, tfidf):
    config = {"tfidf": tfidf, "C": 100, "max_iter": 500}
    resource = Resource("classifier")
    examples = [message(t, i) for t, i in [
        ("apa tugas", "ask_duties"), ("tugas tugas apa", "ask_duties"), ("tugas", "ask_duties"),
        ("cocok apa", "ask_fit"), ("cocok", "ask_fit"), ("cocok cocok", "ask_fit"),
        ("halo", "greet"), ("halo halo", "greet"), ("halo apa", "greet")]]
    trained = SafeLogisticRegressionClassifier.create(
        {**SafeLogisticRegressionClassifier.get_default_config(), **config}, storage, resource, context())
    trained.train(TrainingData(examples))
    assert trained.clf.C == 100
    assert (trained.idf is not None) == tfidf

    loaded = SafeLogisticRegressionClassifier.load(
        {**SafeLogisticRegressionClassifier.get_default_config(), **config}, storage, resource, context())
    probes = [message("tugas apa"), message("cocok"), message("halo"), message("   ")]
    probes[3].features.clear()  # blank text: no features at all
    loaded.process(probes)
    assert loaded.block_widths == ([4, 3] if tfidf else [])
    assert [m.get(INTENT)["name"] for m in probes] == ["ask_duties", "ask_fit", "greet", "nlu_fallback"]
