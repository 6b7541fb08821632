"""`parentvoice themes classify`: the classifier on JSON lines, so it can be measured on any labelled set.

Input, one object a line: {"id": optional, "text": "...", "language": optional ISO 639-1 code}.
Output, one line per input line in the same order: {"id", "language", "themes", "flags"}; a line that is not
a JSON object with a string "text" gets empty themes and flags plus an "error" field, so outputs stay aligned
with inputs. Blank lines are skipped. Texts are embedded in batches; nothing is logged.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache

from bot.themes.classifier import ThemeClassifier, default_classifier

__all__ = ["BATCH", "classify_jsonl", "main"]

BATCH = 64

Detector = Callable[[str, str | None], str | None]


@cache
def _detector() -> Detector:
    """bot.i18n.detect when present; a tiny py3langid fallback keeps this module usable without it."""
    try:
        from bot.i18n.detect import detect_language
    except ImportError:  # pragma: no cover - exercised only while bot.i18n.detect is missing
        import py3langid.langid as langid

        shipped = "en pl ro pa ur pt es ar bn gu so uk tr fa ps lt sk zh fr it".split()
        identifier = langid.LanguageIdentifier.from_modelpath(langid.MODEL_DIR / langid.MODEL_FILE)
        identifier.set_languages(shipped)

        def detect_language(text: str, prior: str | None = None) -> str | None:
            return str(identifier.classify(text)[0]) if text.strip() else None

    return detect_language


def _parse(line: str) -> tuple[object, str | None, str | None, str | None]:
    """(id, text, language, error) for one input line."""
    try:
        row = json.loads(line)
    except json.JSONDecodeError:
        return None, None, None, "invalid JSON"
    if not isinstance(row, dict):
        return None, None, None, "expected a JSON object"
    text = row.get("text")
    if not isinstance(text, str):
        return row.get("id"), None, None, "missing 'text'"
    language = row.get("language")
    return row.get("id"), text, language if isinstance(language, str) and language else None, None


def _flush(
    batch: list[tuple[object, str | None, str | None, str | None]], classifier: ThemeClassifier
) -> Iterator[str]:
    detect = _detector()
    valid = [(text, language or detect(text, None)) for _, text, language, error in batch if text is not None]
    results = iter(classifier.classify_many([t for t, _ in valid], [lang for _, lang in valid]) if valid else [])
    languages = iter([lang for _, lang in valid])
    for item_id, text, _, error in batch:
        if text is None:
            out: dict[str, object] = {"id": item_id, "language": None, "themes": [], "flags": [], "error": error}
        else:
            res = next(results)
            out = {"id": item_id, "language": next(languages), "themes": list(res.themes), "flags": list(res.flags)}
        yield json.dumps(out, ensure_ascii=False)


def classify_jsonl(lines: Iterable[str], classifier: ThemeClassifier | None = None) -> Iterator[str]:
    """Classify JSON lines lazily, a batch at a time, yielding one output line per non-blank input line."""
    clf = classifier or default_classifier()
    batch: list[tuple[object, str | None, str | None, str | None]] = []
    for line in lines:
        if not line.strip():
            continue
        batch.append(_parse(line))
        if len(batch) >= BATCH:
            yield from _flush(batch, clf)
            batch = []
    if batch:
        yield from _flush(batch, clf)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point for `parentvoice themes classify [FILE ...]` (standard input when no file is given)."""
    parser = argparse.ArgumentParser(prog="parentvoice themes classify", description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", help="JSON lines files (default: standard input)")
    args = parser.parse_args(argv)

    def lines() -> Iterator[str]:
        if not args.files:
            yield from sys.stdin
        for name in args.files:
            with open(name, encoding="utf-8") as handle:
                yield from handle

    for out in classify_jsonl(lines()):
        sys.stdout.write(out + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
