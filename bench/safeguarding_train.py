"""Train the risk model shipped as bot/themes/risk_model.npz (issue 9: safeguarding false alarms per language).

    python -m bench.safeguarding_train            # cross-validate, choose thresholds, fit on all, write the model
    python -m bench.safeguarding_train --check    # exit 1 if risk_model.npz is stale (data or lexicon changed)
    python -m bench.safeguarding_train --cv-only  # cross-validated figures only, nothing written

Training data: every labelled set in tests/data that has been seen (since round four also blind sets 4 and
5, since round five blind set 6, since round six blind sets 7 and 8, whose blind runs are recorded): risk
statements (`safeguarding_risk.jsonl`, sets A and B, the `safeguarding` flags of the themes sets, the risk
lines of the train and blind sets, by `kind` or polarity) against ordinary answers
(`safeguarding_ordinary.jsonl`, the traps of A and B, every themes statement without the flag, the ordinary
lines). Never `safeguarding_blind9.jsonl`: it measures the result.

Cross-validation keeps a situation out of training whole: the sets write one situation in every language
(`sgo-pl-14` is `sgo-en-14` in Polish), so items sharing a situation number share a fold; otherwise a
translation in the training folds would flatter the figures. The three thresholds (with a cue word; with words
of despair; with neither) are the triple with the fewest missed risk statements among those whose out-of-fold
false alarms stay within `fa_budget` of the ordinary answers, decided with the final lexicon (which was written
seeing all these sets, so the lexicon's part of the figures is not cross-validated). Then the two tiers
(`choose_tiers`): everything raised (calm line or crisis message) stays within `fa_budget`, and the crisis
message's own thresholds are the pair with the fewest missed risk statements within `confident_budget`. Deterministic.
"""

from __future__ import annotations

import argparse
import json
import pickle
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from bot.themes.flags import CUES, DEFAULT_LEXICON_PATH, DESPAIR, load_lexicon, risk_units
from bot.themes.risk_model import RISK_MODEL_PATH, RiskModel, fit_weighted_logistic, risk_digest

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
TRAIN_SETS = tuple(
    DATA / name
    for name in (
        "safeguarding_ordinary.jsonl",
        "safeguarding_risk.jsonl",
        "safeguarding_blind.jsonl",
        "safeguarding_blind_b.jsonl",
        "safeguarding_train.jsonl",
        "safeguarding_train2.jsonl",
        "safeguarding_blind4.jsonl",
        "safeguarding_blind5.jsonl",
        "safeguarding_blind6.jsonl",
        "safeguarding_blind7.jsonl",
        "safeguarding_blind8.jsonl",
        "themes_dev.jsonl",
        "themes_holdout.jsonl",
        "themes_train.jsonl",
        "themes_train2.jsonl",
        "themes_train3.jsonl",
        "themes_blind2.jsonl",
        "themes_blind3.jsonl",
        "themes_blind4.jsonl",
        "themes_blind5.jsonl",
        "themes_blind6.jsonl",
    )
)
RISK_FILES = ("safeguarding_risk.jsonl",)
LEXICON_SECTIONS = ("safeguarding", "safeguarding_cues", "safeguarding_despair")
RECIPE = {
    "version": 3,
    "l2": 3e-2,
    "steps": 500,
    "lr": 0.05,
    "folds": 5,
    "seed": 0,
    # Two tiers (issue 9 point 3). Anything raised (the calm line, POSSIBLE, or the crisis message) may fire
    # on up to `fa_budget` of ordinary answers, which lets the model speak without a cue word; the crisis
    # message (CONFIDENT) adds to the phrases' own false alarms at most `confident_budget` of them, so it needs
    # a phrase or the model far above its threshold with a cue word.
    "fa_budget": 0.05,
    # Round four, after blind set 6's one blind run: thresholds chosen on the model alone (see `main`).
    "thresholds_without_phrases": True,
    # Round six: the model scores an answer's sentences too and takes the highest, but it was trained on whole
    # answers only, so a single sentence of an ordinary answer ("he hit out at the TA") was a kind of text it
    # never saw labelled. Every sentence of an ordinary answer is ordinary, so each also trains as ordinary
    # (a risk answer's sentences are not all risk, so those do not). Cross-validated: risk missed by either
    # tier 135 -> 116 of 1,298 at the same false alarms (l2 1e-2 -> 3e-2 with it).
    "ordinary_sentences": True,
    # ... and a risk answer's most risky sentence (by a first fit) trains as risk, then the model is fitted
    # again: the model then knows the one sentence of self-harm in a long complaint about waiting lists.
    # Cross-validated: missed 116 -> 106, caught by the crisis message 502 -> 541 (more rounds: no gain).
    "risk_sentence": True,
    "cue_grid": [round(0.1 + 0.05 * k, 2) for k in range(18)],
    "despair_grid": [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8],
    "alone_grid": [0.7, 0.75, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 0.995, 1.01],
    "confident_budget": 0.0025,
    # Round six, after blind set 8's one blind run: the model never shows the crisis message (its two
    # thresholds are set above 1). There it added 40 risk statements to the phrases' 62 but also all six
    # crisis messages on ordinary answers (a child who ran off in a supermarket and was found at once, a
    # police talk at school, a positive OT answer about eating with a spoon): no cue word or threshold
    # separates them. What the model raises gets the calm line and its "Get help now" button; the crisis
    # message (and the counted flag) needs a phrase, the parent's own plain words.
    "crisis_from_model": False,
    "confident_grid": [0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 0.995, 0.998, 1.01],
}
_SITUATION = re.compile(r"^(sgo|sgr|s|sb|sgt|sg\d)-[a-zA-Z_]+-(\w+)$")


@dataclass(frozen=True)
class Example:
    id: str
    language: str
    text: str
    risk: bool

    @property
    def group(self) -> str:
        """The same situation written in every language shares a group (and a fold)."""
        m = _SITUATION.match(self.id)
        return f"{m.group(1)}:{m.group(2)}" if m else self.id


def load_examples(paths: Sequence[Path] = TRAIN_SETS) -> list[Example]:
    out = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            if path.name in RISK_FILES:
                risk = True
            elif "kind" in row:
                risk = row["kind"] != "ordinary"
            elif "polarity" in row:
                risk = row["polarity"] == "risk"
            else:
                risk = "safeguarding" in row.get("flags", [])
            out.append(Example(str(row["id"]), str(row["language"]), str(row["text"]), risk))
    return out


def lexicon_extra() -> str:
    data = yaml.safe_load(Path(DEFAULT_LEXICON_PATH).read_text(encoding="utf-8"))
    return json.dumps({k: data.get(k) for k in LEXICON_SECTIONS}, sort_keys=True, ensure_ascii=False)


def current_digest(embedder: str) -> str:
    return risk_digest(TRAIN_SETS, json.dumps(RECIPE, sort_keys=True) + embedder + lexicon_extra())


def embed_units(examples: Sequence[Example], cache: Path | None) -> tuple[list[np.ndarray], str]:
    """Per example the embeddings of its units (whole text first); optionally cached on disk by text."""
    from bot.themes.classifier import default_classifier

    embedder = default_classifier().embedder
    name = getattr(embedder, "name", type(embedder).__name__)
    memo: dict[str, np.ndarray] = {}
    if cache is not None and cache.is_file():
        stored = pickle.loads(cache.read_bytes())
        if stored.get("embedder") == name:
            memo = stored["vectors"]
    units = [risk_units(e.text) for e in examples]
    missing = sorted({u for us in units for u in us if u not in memo})
    if missing:
        for text, row in zip(missing, embedder.embed(missing, query=True), strict=True):
            memo[text] = row
        if cache is not None:
            cache.write_bytes(pickle.dumps({"embedder": name, "vectors": memo}))
    return [np.vstack([memo[u] for u in us]) for us in units], name


def fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    mean = x.mean(axis=0)
    scale = x.std(axis=0) + 1e-6
    w, b = fit_weighted_logistic(
        (x - mean) / scale, y, l2=float(RECIPE["l2"]), steps=int(RECIPE["steps"]), lr=float(RECIPE["lr"])
    )
    return mean, scale, w, b


def training_rows(
    examples: Sequence[Example], units: Sequence[np.ndarray], chosen: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The rows the model learns from: each chosen text whole, and (`ordinary_sentences`) the sentences of ordinary ones."""
    rows: list[np.ndarray] = []
    labels: list[float] = []
    for k in np.flatnonzero(chosen):
        extra = not examples[k].risk and bool(RECIPE["ordinary_sentences"])
        vectors = units[k] if extra else units[k][:1]
        rows.append(vectors)
        labels.extend([float(examples[k].risk)] * vectors.shape[0])
    return np.vstack(rows), np.array(labels)


def fit_rows(
    examples: Sequence[Example], units: Sequence[np.ndarray], chosen: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Fit on the chosen texts (`training_rows`), then (`risk_sentence`) again with each risk answer's riskiest sentence."""
    x, y = training_rows(examples, units, chosen)
    mean, scale, w, b = fit(x, y)
    if not RECIPE["risk_sentence"]:
        return mean, scale, w, b
    extra = []
    for k in np.flatnonzero(chosen):
        if examples[k].risk and units[k].shape[0] > 1:
            sentences = units[k][1:]
            extra.append(sentences[int(np.argmax(((sentences - mean) / scale) @ w))])
    if not extra:
        return mean, scale, w, b
    return fit(np.vstack([x, *extra]), np.concatenate([y, np.ones(len(extra))]))


def out_of_fold(examples: Sequence[Example], units: Sequence[np.ndarray]) -> np.ndarray:
    """Each text's probability from a model that saw none of its situation (max over its units)."""
    groups = sorted({e.group for e in examples})
    rng = np.random.default_rng(int(RECIPE["seed"]))
    rng.shuffle(groups)
    fold_of = {g: k % int(RECIPE["folds"]) for k, g in enumerate(groups)}
    folds = np.array([fold_of[e.group] for e in examples])
    oof = np.zeros(len(examples))
    for f in range(int(RECIPE["folds"])):
        train = folds != f
        mean, scale, w, b = fit_rows(examples, units, train)
        for k in np.flatnonzero(~train):
            oof[k] = float((1 / (1 + np.exp(-(((units[k] - mean) / scale) @ w + b)))).max())
    return oof


def choose_thresholds(
    examples: Sequence[Example], oof: np.ndarray, strong: np.ndarray, cued: np.ndarray, despair: np.ndarray
) -> tuple[float, float, float, dict[str, object]]:
    """(cue, despair, alone) thresholds: fewest missed risk statements within the false-alarm budget."""
    y = np.array([e.risk for e in examples])
    budget = float(RECIPE["fa_budget"]) * int((~y).sum())
    best: tuple[int, int, float, float, float] | None = None
    for tc in RECIPE["cue_grid"]:
        for td in RECIPE["despair_grid"]:
            for ta in RECIPE["alone_grid"]:
                fire = strong | (oof >= ta) | (cued & (oof >= tc)) | (despair & (oof >= td))
                fa = int((fire & ~y).sum())
                missed = int((~fire & y).sum())
                if fa <= budget and (best is None or (missed, fa) < (best[0], best[1])):
                    best = (missed, fa, float(tc), float(td), float(ta))
    assert best is not None, "no thresholds within the false-alarm budget"
    _, _, tc, td, ta = best
    fire = strong | (oof >= ta) | (cued & (oof >= tc)) | (despair & (oof >= td))
    per_language: dict[str, dict[str, int]] = {}
    for e, hit in zip(examples, fire, strict=True):
        cell = per_language.setdefault(e.language, {"ordinary": 0, "false_alarms": 0, "risk": 0, "caught": 0})
        if e.risk:
            cell["risk"] += 1
            cell["caught"] += int(hit)
        else:
            cell["ordinary"] += 1
            cell["false_alarms"] += int(hit)
    figures = {
        "ordinary": int((~y).sum()),
        "risk": int(y.sum()),
        "false_alarms": int((fire & ~y).sum()),
        "missed": int((~fire & y).sum()),
        "phrases_only": {"false_alarms": int((strong & ~y).sum()), "missed": int((~strong & y).sum())},
        "per_language": dict(sorted(per_language.items())),
        "missed_ids": [e.id for e, hit in zip(examples, fire, strict=True) if e.risk and not hit],
        "false_alarm_ids": [e.id for e, hit in zip(examples, fire, strict=True) if hit and not e.risk],
    }
    return tc, td, ta, figures


def choose_tiers(
    examples: Sequence[Example],
    oof: np.ndarray,
    strong: np.ndarray,
    cued: np.ndarray,
    despair: np.ndarray,
    thresholds: tuple[float, float, float],
) -> tuple[float, float, dict[str, object]]:
    """(confident cue, confident despair) thresholds for the crisis message, from the same out-of-fold figures.

    The pair with the fewest missed risk statements whose false alarms beyond the phrases' own stay within
    `confident_budget`; below them (down to `thresholds`) the model's evidence only gets the calm line.
    """
    y = np.array([e.risk for e in examples])
    tc, td, ta = thresholds
    n_ordinary = int((~y).sum())
    best: tuple[int, int, float, float] | None = None
    grid = RECIPE["confident_grid"] if RECIPE["crisis_from_model"] else [1.01]
    for cc in grid:
        for cd in grid:
            if cc < tc or cd < td:
                continue
            crisis = strong | (cued & (oof >= cc)) | (despair & (oof >= cd))
            fa, missed = int((crisis & ~y).sum()), int((~crisis & y).sum())
            added = fa - int((strong & ~y).sum())  # the phrases' own false alarms are the lexicon's to fix
            if added <= float(RECIPE["confident_budget"]) * n_ordinary and (best is None or (missed, fa) < best[:2]):
                best = (missed, fa, float(cc), float(cd))
    assert best is not None, "no crisis thresholds within the false-alarm budget"
    _, _, cc, cd = best
    crisis = strong | (cued & (oof >= cc)) | (despair & (oof >= cd))
    either = crisis | (oof >= ta) | (cued & (oof >= tc)) | (despair & (oof >= td))
    per_language: dict[str, dict[str, int]] = {}
    for e, c, a in zip(examples, crisis, either, strict=True):
        cell = per_language.setdefault(
            e.language, {"ordinary": 0, "crisis_false_alarms": 0, "calm_false_alarms": 0, "risk": 0,
                         "crisis_caught": 0, "either_caught": 0})
        if e.risk:
            cell["risk"] += 1
            cell["crisis_caught"] += int(c)
            cell["either_caught"] += int(a)
        else:
            cell["ordinary"] += 1
            cell["crisis_false_alarms"] += int(c)
            cell["calm_false_alarms"] += int(a and not c)
    figures = {
        "crisis_false_alarms": int((crisis & ~y).sum()),
        "calm_false_alarms": int((either & ~crisis & ~y).sum()),
        "crisis_caught": int((crisis & y).sum()),
        "either_caught": int((either & y).sum()),
        "per_language": dict(sorted(per_language.items())),
        "crisis_false_alarm_ids": [e.id for e, c in zip(examples, crisis, strict=True) if c and not e.risk],
    }
    return cc, cd, figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.safeguarding_train", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the shipped model is stale")
    parser.add_argument("--cv-only", action="store_true", help="print cross-validated figures, write nothing")
    parser.add_argument("--cache", type=Path, help="pickle of embeddings by text, to rerun quickly (not committed)")
    parser.add_argument("--out", type=Path, default=RISK_MODEL_PATH)
    args = parser.parse_args(argv)

    if args.check:
        from bot.themes.embedding import E5Embedder

        model = RiskModel.load(args.out)
        if model.digest != current_digest(E5Embedder.name):
            print("risk_model.npz is stale: run python -m bench.safeguarding_train", file=sys.stderr)
            return 1
        print("risk_model.npz matches its training data, recipe and lexicon")
        return 0

    started = time.perf_counter()
    examples = load_examples()
    units, embedder = embed_units(examples, args.cache)
    lexicon = load_lexicon()
    strong = np.array([lexicon.matches("safeguarding", e.text) for e in examples])
    cued = np.array([lexicon.matches(CUES, e.text) for e in examples])
    despair = np.array([lexicon.matches(DESPAIR, e.text) for e in examples])
    oof = out_of_fold(examples, units)
    if RECIPE["thresholds_without_phrases"]:
        # The phrases were written against these very sets (round four: they catch 1004 of 1045 risk texts
        # in-sample, 51 of 120 on blind set 6), so choosing the thresholds beside them left the model only what
        # the phrases missed in-sample and made it far too quiet on new text. The model's thresholds are chosen
        # as if there were no phrases; the figures printed below are the model's alone.
        risk = np.array([e.risk for e in examples])
        print(f"phrases alone, in-sample (written on these sets): {int((strong & ~risk).sum())} false alarms, "
              f"{int((strong & risk).sum())} risk texts caught")
        strong = np.zeros_like(strong)
    tc, td, ta, figures = choose_thresholds(examples, oof, strong, cued, despair)
    cc, cd, tiers = choose_tiers(examples, oof, strong, cued, despair, (tc, td, ta))
    print(f"{len(examples)} texts ({figures['risk']} risk, {figures['ordinary']} ordinary), {embedder}")
    print(f"thresholds: with a cue word {tc}, with words of despair {td}, with neither {ta}")
    print(f"crisis message: with a cue word from {cc}, with words of despair from {cd}")
    print(
        f"cross-validated tiers: crisis message on ordinary {tiers['crisis_false_alarms']}/{figures['ordinary']}, "
        f"calm line on ordinary {tiers['calm_false_alarms']}, risk caught by the crisis message "
        f"{tiers['crisis_caught']}/{figures['risk']}, by either {tiers['either_caught']}/{figures['risk']}"
    )
    tier_cells = tiers["per_language"]
    assert isinstance(tier_cells, dict)
    for lang, c in tier_cells.items():
        print(f"  {lang}: crisis on ordinary {c['crisis_false_alarms']}/{c['ordinary']}, calm line "
              f"{c['calm_false_alarms']}, caught by crisis {c['crisis_caught']}/{c['risk']}, "
              f"by either {c['either_caught']}/{c['risk']}")
    print("crisis false alarms:", " ".join(tiers["crisis_false_alarm_ids"]))  # type: ignore[arg-type]
    print(
        f"cross-validated: false alarms {figures['false_alarms']}/{figures['ordinary']}, "
        f"missed {figures['missed']}/{figures['risk']} (phrases only: {figures['phrases_only']})"
    )
    per_language = figures["per_language"]
    assert isinstance(per_language, dict)
    for lang, c in per_language.items():
        print(f"  {lang}: false alarms {c['false_alarms']}/{c['ordinary']}, caught {c['caught']}/{c['risk']}")
    print("missed:", " ".join(figures["missed_ids"]))  # type: ignore[arg-type]
    print("false alarms:", " ".join(figures["false_alarm_ids"]))  # type: ignore[arg-type]
    if args.cv_only:
        return 0
    mean, scale, w, b = fit_rows(examples, units, np.ones(len(examples), dtype=bool))
    recipe = {
        **RECIPE,
        "data": [p.name for p in TRAIN_SETS],
        "cross_validated": {k: v for k, v in figures.items() if k not in ("missed_ids", "false_alarm_ids")},
        "cross_validated_tiers": {k: v for k, v in tiers.items() if k != "crisis_false_alarm_ids"},
    }
    RiskModel(
        mean=mean,
        scale=scale,
        weights=w,
        bias=b,
        cue_threshold=tc,
        despair_threshold=td,
        alone_threshold=ta,
        confident_cue_threshold=cc,
        confident_despair_threshold=cd,
        embedder=embedder,
        digest=current_digest(embedder),
        recipe=json.dumps(recipe, sort_keys=True, ensure_ascii=False),
    ).save(args.out)
    print(f"wrote {args.out} in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
