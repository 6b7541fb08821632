"""Questionnaires as data: loading and validation.

A questionnaire is refused at start-up when it is inconsistent, so that a parent never meets a question
that points at nothing. Texts are gettext msgids; wording lives in ``locales/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import yaml

from bot.i18n.markers import N_

QUESTIONNAIRE_DIR = Path(__file__).resolve().parent.parent / "questionnaires"
DEFAULT_QUESTIONNAIRE = "area_send"

#: A question's short label names it on a button (the review's Change buttons): it must fit a phone's width.
SHORT_MAX = 28

#: The ids stored in the database; `[a-z0-9_]` keeps them safe inside callback data.
ID_PATTERN = re.compile(r"^[a-z0-9_]{1,24}$")

DONT_KNOW = "dont_know"
SCALE_POINTS = (1, 2, 3, 4, 5)
#: Default labels of a scale question, worst first. Marked for extraction in bot/i18n/strings.py.
SCALE_LABELS = (N_("Very poor"), N_("Poor"), N_("OK"), N_("Good"), N_("Very good"))
SCALE_DONT_KNOW = N_("Don't know")
YES_NO = (("yes", N_("Yes")), ("no", N_("No")))

# Answers are JSON-friendly: a choice id, a list of choice ids, a scale point (int) or "dont_know", or text.
Value = str | int | list[str]


class QuestionType(StrEnum):
    CHOICE = "choice"
    MULTI = "multi"
    SCALE = "scale"
    YESNO = "yesno"
    TEXT = "text"


class QuestionnaireError(ValueError):
    """A questionnaire file that must not be used; the message says what and where."""


@dataclass(frozen=True)
class Condition:
    """Show a question only when an earlier answer is one of ``any_of`` (any overlap, for multi)."""

    question: str
    any_of: frozenset[str]

    def holds(self, answers: Mapping[str, Value]) -> bool:
        value = answers.get(self.question)
        if value is None:
            return False
        values = value if isinstance(value, list) else [value]
        return any(str(v) in self.any_of for v in values)


@dataclass(frozen=True)
class Choice:
    """One button. ``show_if`` offers it only after certain earlier answers ("still waiting" for an assessment
    makes no sense once the child has an EHC plan)."""

    id: str
    text: str
    exclusive: bool = False
    show_if: Condition | None = None

    def offered(self, answers: Mapping[str, Value]) -> bool:
        return self.show_if is None or self.show_if.holds(answers)


@dataclass(frozen=True)
class Question:
    id: str
    type: QuestionType
    text: str
    required: bool = False
    help: str | None = None
    choices: tuple[Choice, ...] = ()
    show_if: Condition | None = None
    max_length: int = 4000
    short: str | None = None  # a few words naming the question on a button (msgid); None: its number

    def choice(self, choice_id: str) -> Choice | None:
        return next((c for c in self.choices if c.id == choice_id), None)

    def offered(self, answers: Mapping[str, Value]) -> tuple[Choice, ...]:
        """The choices shown to a parent with these earlier answers."""
        return tuple(c for c in self.choices if c.offered(answers))

    def fits(self, value: Value, answers: Mapping[str, Value]) -> bool:
        """Whether a stored answer still uses only choices offered with these answers (free text always fits)."""
        if not self.choices or self.type is QuestionType.SCALE:
            return True
        values = value if isinstance(value, list) else [value]
        offered = {c.id for c in self.offered(answers)}
        return all(str(v) in offered for v in values)

    def valid_value(self, value: object) -> bool:
        """Whether a stored or submitted value fits this question (guards forged input and old data)."""
        if self.type in (QuestionType.CHOICE, QuestionType.YESNO):
            return isinstance(value, str) and self.choice(value) is not None
        if self.type is QuestionType.MULTI:
            return (
                isinstance(value, list)
                and len(value) > 0
                and len(set(value)) == len(value)
                and all(isinstance(v, str) and self.choice(v) is not None for v in value)
            )
        if self.type is QuestionType.SCALE:
            return value == DONT_KNOW or (isinstance(value, int) and value in SCALE_POINTS)
        return isinstance(value, str) and 0 < len(value) <= self.max_length


@dataclass(frozen=True)
class Questionnaire:
    id: str
    version: int
    title: str
    questions: tuple[Question, ...]
    _index: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)

    def question(self, question_id: str) -> Question | None:
        i = self._index.get(question_id)
        return None if i is None else self.questions[i]

    def position(self, question_id: str) -> int:
        return self._index[question_id]

    def visible(self, answers: Mapping[str, Value]) -> list[Question]:
        """Questions a parent with these answers is asked, in order (skip logic applied)."""
        return [q for q in self.questions if q.show_if is None or q.show_if.holds(answers)]

    def texts(self) -> Iterable[str]:
        """Every msgid this questionnaire shows, for extraction and completeness checks."""
        yield self.title
        for q in self.questions:
            yield q.text
            if q.short:
                yield q.short
            if q.help:
                yield q.help
            for c in q.choices:
                yield c.text


def _fail(source: str, message: str) -> QuestionnaireError:
    return QuestionnaireError(f"Questionnaire {source}: {message}")


def _scale_choices() -> tuple[Choice, ...]:
    return (*(Choice(str(p), label) for p, label in zip(SCALE_POINTS, SCALE_LABELS, strict=True)),
            Choice(DONT_KNOW, SCALE_DONT_KNOW))


def parse_questionnaire(data: object, source: str = "<data>") -> Questionnaire:
    """Build and validate a questionnaire from parsed YAML; raise QuestionnaireError on any fault."""
    if not isinstance(data, dict):
        raise _fail(source, "the top level must be a mapping")
    for key in ("id", "version", "title", "questions"):
        if key not in data:
            raise _fail(source, f"missing '{key}'")
    if not isinstance(data["version"], int) or data["version"] < 1:
        raise _fail(source, "'version' must be a positive whole number")
    raw_questions = data["questions"]
    if not isinstance(raw_questions, list) or not raw_questions:
        raise _fail(source, "'questions' must be a non-empty list")

    questions: list[Question] = []
    seen: dict[str, Question] = {}
    for n, raw in enumerate(raw_questions, start=1):
        where = f"question {n}"
        if not isinstance(raw, dict):
            raise _fail(source, f"{where} must be a mapping")
        qid = raw.get("id")
        if not isinstance(qid, str) or not ID_PATTERN.match(qid):
            raise _fail(source, f"{where} has a missing or malformed id {qid!r} (use a-z, 0-9, _)")
        where = f"question '{qid}'"
        if qid in seen:
            raise _fail(source, f"duplicate question id '{qid}'")
        try:
            qtype = QuestionType(raw.get("type"))
        except ValueError:
            raise _fail(source, f"{where} has unknown type {raw.get('type')!r}") from None
        text = raw.get("text")
        if not isinstance(text, str) or not text.strip():
            raise _fail(source, f"{where} has no text")
        short = raw.get("short")
        if short is not None and (not isinstance(short, str) or not short.strip() or len(short) > SHORT_MAX):
            raise _fail(source, f"{where}: 'short' must be a label of 1 to {SHORT_MAX} characters")
        choices = _parse_choices(raw.get("choices"), qtype, source, where, seen)
        condition = _parse_condition(raw.get("show_if"), seen, source, where)
        question = Question(
            id=qid,
            type=qtype,
            text=text,
            required=bool(raw.get("required", False)),
            help=raw.get("help"),
            choices=choices,
            show_if=condition,
            max_length=int(raw.get("max_length", 4000)),
            short=short,
        )
        seen[qid] = question
        questions.append(question)

    return Questionnaire(
        id=str(data["id"]),
        version=data["version"],
        title=str(data["title"]),
        questions=tuple(questions),
        _index={q.id: i for i, q in enumerate(questions)},
    )


def _parse_choices(raw: object, qtype: QuestionType, source: str, where: str,
                   earlier: Mapping[str, Question]) -> tuple[Choice, ...]:
    if qtype is QuestionType.SCALE:
        if raw is not None:
            raise _fail(source, f"{where}: a scale has fixed points; remove 'choices'")
        return _scale_choices()
    if qtype is QuestionType.YESNO:
        return tuple(Choice(cid, text) for cid, text in YES_NO)
    if qtype is QuestionType.TEXT:
        if raw is not None:
            raise _fail(source, f"{where}: a text question has no choices")
        return ()
    if not isinstance(raw, list) or len(raw) < 2:
        raise _fail(source, f"{where} needs at least two choices")
    choices: list[Choice] = []
    for c in raw:
        if not isinstance(c, dict) or not isinstance(c.get("id"), str) or not ID_PATTERN.match(c["id"]):
            raise _fail(source, f"{where} has a choice with a missing or malformed id")
        if not isinstance(c.get("text"), str) or not c["text"].strip():
            raise _fail(source, f"{where}, choice '{c['id']}' has no text")
        if any(existing.id == c["id"] for existing in choices):
            raise _fail(source, f"{where} has duplicate choice id '{c['id']}'")
        condition = _parse_condition(c.get("show_if"), earlier, source, f"{where}, choice '{c['id']}'")
        choices.append(Choice(c["id"], c["text"], bool(c.get("exclusive", False)), condition))
    return tuple(choices)


def _parse_condition(raw: object, earlier: Mapping[str, Question], source: str, where: str) -> Condition | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or "question" not in raw or "any_of" not in raw:
        raise _fail(source, f"{where}: show_if needs 'question' and 'any_of'")
    target = raw["question"]
    if target not in earlier:
        # Unknown ids, forward references and cycles all land here: a condition may only look back.
        raise _fail(source, f"{where}: show_if refers to '{target}', which is not an earlier question")
    values = raw["any_of"]
    if not isinstance(values, list) or not values:
        raise _fail(source, f"{where}: show_if 'any_of' must be a non-empty list")
    known = {c.id for c in earlier[target].choices}
    for v in values:
        if str(v) not in known:
            raise _fail(source, f"{where}: show_if value {v!r} is not a choice of '{target}'")
    return Condition(target, frozenset(str(v) for v in values))


def load_questionnaire(name_or_path: str | Path = DEFAULT_QUESTIONNAIRE) -> Questionnaire:
    """Load a shipped questionnaire by id, or a YAML file by path."""
    path = Path(name_or_path)
    if not path.suffix:
        path = QUESTIONNAIRE_DIR / f"{name_or_path}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise QuestionnaireError(f"Questionnaire {path}: cannot be read ({exc})") from exc
    return parse_questionnaire(data, str(path))
