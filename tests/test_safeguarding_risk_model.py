"""The safeguarding decision after issue 9: strong phrases, then the risk model behind cue words or despair.

Unit tests of the pure decision (bot/themes/flags.py, bot/themes/risk_model.py) with the bundled embedding
model; the end-to-end check through the stand-in is in tests/test_privacy_e2e.py.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from bench import safeguarding_train
from bot.themes import risk_model
from bot.themes.classifier import default_classifier
from bot.themes.flags import (
    has_risk_cue,
    is_safeguarding,
    safeguarding_from_vectors,
    safeguarding_tier,
    tier_from_vectors,
)
from bot.themes.risk_model import RiskModel, RiskTier, load_risk_model

# Ordinary answers that raised the crisis message: the three quoted in issue 9, then false alarms of the
# earlier check on the first blind set (an idiom of waiting, "desperately need a place", "I can't take it
# any more" about waiting). "Belediyeyi aramaktan pes ettim" (I gave up calling the council) still raises
# it: a known false alarm (docs/themes.md).
ORDINARY = [
    ("pl", "Pani w świetlicy jest cierpliwa i syn lubi do niej chodzić."),
    ("ro", "Logopedul a fost minunat cu fiica mea."),
    ("so", "Wiilkayga ma helin daawaynta hadalka."),
    ("tr", "Bu bekleyiş beni öldürüyor."),
    ("uk", "Це очікування мене просто вбиває."),
    ("it", "Questa attesa mi sta uccidendo."),
    ("pt", "Precisamos desesperadamente de uma vaga numa escola especializada."),
    ("es", "Necesitamos desesperadamente una plaza en un centro específico."),
    ("fr", "Nous cherchons désespérément une place en IME."),
    ("zh", "等了这么久，真是受不了了，希望今年能有结果。"),
    ("bn", "এই কাগজপত্রের ঝামেলা আর পারছি না, প্রতি মাসে নতুন ফর্ম।"),
]

# Kinds of risk the phrases lacked before: an eating disorder, a weapon, neglect, naked photos asked for
# online, a child who did not come home, a partner who beats the parent.
NEW_KINDS = [
    ("en", "She makes herself sick after every meal and has lost a lot of weight."),
    ("es", "Mi hijo llevó un cuchillo al colegio y dijo que iba a apuñalar a un compañero."),
    ("fr", "Son père le laisse seul à la maison tout le week-end, il revient affamé et sale."),
    ("it", "Un uomo su internet chiede foto nude a mia figlia di dodici anni."),
    ("tr", "Kızım dün gece eve gelmedi ve polis onu arıyor."),
    ("pl", "Mąż bije mnie przy dzieciach i grozi, że mnie zabije."),
    ("ar", "ابنتي تتقيأ عمدًا بعد كل وجبة وفقدت الكثير من الوزن."),
]


@pytest.mark.parametrize(("language", "text"), ORDINARY)
def test_ordinary_answers_raise_no_alarm(language: str, text: str) -> None:
    assert not is_safeguarding(text, language)
    assert "safeguarding" not in default_classifier().classify(text, language).flags


@pytest.mark.parametrize(("language", "text"), NEW_KINDS)
def test_kinds_of_risk_the_phrases_lacked_are_caught_without_the_model(language: str, text: str) -> None:
    assert is_safeguarding(text, language, semantic=False)
    assert "safeguarding" in default_classifier().classify(text, language).flags


def test_words_of_exhaustion_alone_no_longer_decide() -> None:
    # "I can't take any more" and "desperate" moved from the phrases to the despair list: they let the
    # model decide, and about paperwork it says no.
    text = "I can't take any more, every month there is a new form to fill in."
    assert not is_safeguarding(text, semantic=False)
    assert has_risk_cue(text)
    assert not is_safeguarding(text)


def test_the_shipped_model_never_shows_the_crisis_message_on_its_own() -> None:
    # Round six (docs/themes.md): the crisis message needs a phrase; the model's evidence gets the calm line.
    model = load_risk_model()
    assert model.confident_cue_threshold > 1.0 and model.confident_despair_threshold > 1.0
    assert model.tier(1.0, cued=True, despair=True) is RiskTier.POSSIBLE
    assert json.loads(model.recipe)["crisis_from_model"] is False


def test_risk_in_other_words_needs_the_model() -> None:
    text = "أشعر أنني لا أستطيع الاستمرار وأفكر في أشياء مخيفة."  # "I can't go on and I think of frightening things"
    assert safeguarding_tier(text, semantic=False) is RiskTier.NONE
    # The model raises it (since round six the calm line with its button: unclear words, not clear risk).
    assert safeguarding_tier(text) is not RiskTier.NONE


def _model(cue: float, alone: float, confident_cue: float = 0.95, confident_despair: float = 0.8) -> RiskModel:
    return RiskModel(
        mean=np.zeros(2, np.float32), scale=np.ones(2, np.float32), weights=np.array([1.0, 0.0], np.float32),
        bias=0.0, cue_threshold=cue, despair_threshold=0.3, alone_threshold=alone,
        confident_cue_threshold=confident_cue, confident_despair_threshold=confident_despair,
        embedder="test", digest="", recipe=json.dumps({}),
    )


def test_the_tier_is_confident_only_far_above_the_threshold_with_a_cue_or_despair() -> None:
    model = _model(0.2, 0.8, confident_cue=0.95, confident_despair=0.85)
    # CONFIDENT: the crisis message at once and the counted flag.
    assert model.tier(0.96, cued=True) is RiskTier.CONFIDENT
    assert model.tier(0.9, cued=False, despair=True) is RiskTier.CONFIDENT
    # POSSIBLE: what the model raises below that (a cue word, despair, or neither at its highest).
    assert model.tier(0.94, cued=True) is RiskTier.POSSIBLE
    assert model.tier(0.3, cued=True) is RiskTier.POSSIBLE
    assert model.tier(0.5, cued=False, despair=True) is RiskTier.POSSIBLE
    assert model.tier(0.99, cued=False) is RiskTier.POSSIBLE  # far above, but no cue word: never the crisis message
    # NONE below every threshold.
    assert model.tier(0.1, cued=True) is RiskTier.NONE
    assert model.tier(0.7, cued=False) is RiskTier.NONE
    assert model.tier(0.2, cued=False, despair=True) is RiskTier.NONE


def test_a_phrase_is_confident_and_the_model_alone_is_not_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    name = default_classifier().embedder.name
    vectors = np.zeros((1, 384), np.float32)
    assert tier_from_vectors("My son says he wants to die.", vectors, name) is RiskTier.CONFIDENT
    possible = RiskModel(
        mean=np.zeros(384, np.float32), scale=np.ones(384, np.float32), weights=np.zeros(384, np.float32),
        bias=0.0, cue_threshold=0.2, despair_threshold=0.3, alone_threshold=0.4,  # sigmoid(0) = 0.5
        confident_cue_threshold=0.9, confident_despair_threshold=0.9, embedder=name, digest="", recipe="{}",
    )
    monkeypatch.setattr(risk_model, "load_risk_model", lambda: possible)
    text = "He kicks and hits us when he is overwhelmed after school."
    assert tier_from_vectors(text, vectors, name) is RiskTier.POSSIBLE
    assert not safeguarding_from_vectors(text, vectors, name)  # the counted flag is CONFIDENT only


def test_the_model_needs_a_cue_below_its_higher_threshold() -> None:
    model = _model(0.6, 0.95)
    assert not model.decide(0.8, cued=False)
    assert model.decide(0.8, cued=True)
    assert not model.decide(0.5, cued=True)
    assert model.decide(0.96, cued=False)
    assert model.decide(0.4, cued=False, despair=True)
    assert not model.decide(0.2, cued=True, despair=True)
    # A text's probability is its best unit's: one risky sentence in a long answer counts.
    assert model.text_probability(np.array([[-3.0, 0.0], [2.0, 0.0]], np.float32)) == pytest.approx(1 / (1 + np.exp(-2)))


def test_without_a_usable_model_the_phrases_answer_stands(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing() -> RiskModel:
        raise OSError("no model file")

    monkeypatch.setattr(risk_model, "load_risk_model", missing)
    vectors = np.zeros((1, 384), np.float32)
    name = default_classifier().embedder.name
    assert not safeguarding_from_vectors("Sou mãe sozinha, não durmo há meses e sinto que vou desabar.", vectors, name)
    assert safeguarding_from_vectors("My son says he wants to die.", vectors, name)


def test_a_model_for_another_embedder_is_refused() -> None:
    vectors = np.zeros((1, 384), np.float32)
    assert not safeguarding_from_vectors("Sou mãe sozinha, não durmo há meses e sinto que vou desabar.", vectors, "another-embedder")


def test_the_shipped_model_matches_its_data_recipe_and_lexicon() -> None:
    assert safeguarding_train.main(["--check"]) == 0
    model = load_risk_model()
    assert 0.0 < model.cue_threshold < 1.0
    recipe = json.loads(model.recipe)
    assert "safeguarding_blind9.jsonl" not in recipe["data"]  # blind set 9 measures, it never trains


def test_blind_set_9_shares_no_text_with_the_training_data() -> None:
    """Blind sets 4 and 5 train since round four, blind set 6 since round five, blind sets 7 and 8 since round
    six (their blind runs are recorded); blind set 9 only measures."""
    blind9 = safeguarding_train.DATA / "safeguarding_blind9.jsonl"
    texts = {json.loads(line)["text"] for line in blind9.read_text(encoding="utf-8").splitlines() if line.strip()}
    assert len(texts) == 620
    examples = safeguarding_train.load_examples()
    trained = {e.text for e in examples}
    blind = [e for e in examples if e.id.startswith(("sg4-", "sg5-", "sg6-", "sg7-", "sg8-"))]
    assert len(blind) == 560 + 620 + 620 + 620 + 620
    # Their risk lines (ids ending -r01..-r06) carry a `kind`, not a polarity.
    assert all(e.risk == bool(re.search(r"-r\d+$", e.id)) for e in blind)
    trained_sets = {p.name for p in safeguarding_train.TRAIN_SETS}
    assert {f"safeguarding_blind{n}.jsonl" for n in (4, 5, 6, 7, 8)} <= trained_sets
    assert not texts & trained


@pytest.mark.parametrize(("language", "text"), [
    ("en", "He is desperate for friends at school."),
    ("en", "I'm drowning in paperwork since the council changed the forms."),
    ("tr", "Belediyeyi aramaktan pes ettim, kimse cevap vermiyor."),
])
def test_idioms_with_a_despair_word_raise_no_alarm(language: str, text: str) -> None:
    # The round-two despair list lacked the phrases' idiom guards (known false alarms after blind set 4).
    assert not has_risk_cue(text)
    assert not is_safeguarding(text, language)
