"""Build bot/data/given_names.json, the scrubber's list of given names, from well-kept packages.

Run (development only; the output is committed, nothing is downloaded at run time):

    pip install -e ".[names]"          # faker and jieba, the "names" extra in pyproject.toml
    apt-get install hunspell hunspell-en-gb hunspell-pl hunspell-ro hunspell-pt-pt hunspell-es \
        hunspell-fr-classical hunspell-it hunspell-tr hunspell-lt hunspell-sk hunspell-uk hunspell-ar \
        hunspell-bn hunspell-gu
    python -m tools.build_given_names

Sources:
- given names: Faker's person providers for the survey languages' locales (MIT licence), plus the hand-made
  `cues.FIRST_NAMES`;
- "is this name also an ordinary word?": the hunspell dictionaries of the survey languages. A name that hunspell
  accepts in lower case in any of them ("will", "rose", "ella" in Spanish, "emir" in Turkish) goes to `wordlike`,
  which the scrubber uses only where a cue or a capital letter says "name";
- Chinese: Faker's zh_CN surnames and given-name characters, and jieba's dictionary for common words that start
  with a surname character (王国, 高中, 方法), which are never taken for names.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

from bot.privacy.cues import AMBIGUOUS_NAMES, COMMON_CAPITALISED, FIRST_NAMES, MONTHS

OUT = Path(__file__).resolve().parent.parent / "bot" / "data" / "given_names.json"
LOCALES = ("en_GB", "en_US", "en_IE", "pl_PL", "ro_RO", "pt_PT", "pt_BR", "es_ES", "fr_FR", "it_IT", "tr_TR",
           "lt_LT", "sk_SK", "uk_UA", "fa_IR", "ar_AA", "bn_BD", "gu_IN")
# Each dictionary by the script it can judge: hunspell accepts any word outside its own script.
DICTIONARIES: dict[str, tuple[str, ...]] = {
    "latin": ("en_GB", "pl_PL", "ro_RO", "pt_PT", "es_ES", "fr_FR", "it_IT", "tr_TR", "lt_LT", "sk_SK"),
    "cyrillic": ("uk_UA",),
    "arabic": ("ar",),
    "bengali": ("bn_BD",),
    "gujarati": ("gu_IN",),
}
_SCRIPTS = {
    "latin": re.compile(r"^[A-Za-z\u00C0-\u024F'’-]+$"),
    "cyrillic": re.compile(r"^[\u0400-\u04FF'’-]+$"),
    "arabic": re.compile(r"^[\u0600-\u06FF\u0750-\u077F\u200c]+$"),
    "bengali": re.compile(r"^[\u0980-\u09FF\u200c\u200d]+$"),
    "gujarati": re.compile(r"^[\u0A80-\u0AFF\u200c\u200d]+$"),
}
_HAN = re.compile(r"^[\u4e00-\u9fff]+$")


def faker_names() -> tuple[set[str], list[str], list[str]]:
    names: set[str] = set()
    for locale in LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attr in ("first_names", "first_names_male", "first_names_female"):
            for full in getattr(provider, attr, ()) or ():
                for part in str(full).split():
                    part = part.strip(".,")
                    if len(part) >= 2 and not any(c.isdigit() for c in part):
                        names.add(part)
    zh = importlib.import_module("faker.providers.person.zh_CN").Provider
    return names, list(dict.fromkeys(zh.last_names)), list(dict.fromkeys(zh.first_names))


def dictionary_words(candidates: list[str]) -> set[str]:
    """The candidates that hunspell accepts, in the form given, in any survey language."""
    if shutil.which("hunspell") is None:
        raise SystemExit("hunspell is not installed (see the module docstring)")
    accepted: set[str] = set()
    for script, dictionaries in DICTIONARIES.items():
        words = [c for c in candidates if _SCRIPTS[script].match(c)]
        payload = "\n".join(words) + "\n"
        for dic in dictionaries:
            if not Path(f"/usr/share/hunspell/{dic}.dic").exists():
                raise SystemExit(f"hunspell dictionary {dic} is missing (see the module docstring)")
            run = subprocess.run(["hunspell", "-d", dic, "-G"], input=payload, capture_output=True, text=True,
                                 check=True, env={**os.environ, "LC_ALL": "C.UTF-8"})
            accepted.update(w for w in run.stdout.split() if w in words)
    return accepted


def chinese(surnames: list[str], given: list[str]) -> dict[str, list[str] | str]:
    import jieba

    single = [s for s in surnames if len(s) == 1]
    starts = set(single)
    given_chars: Counter[str] = Counter()
    common: list[str] = []
    dict_path = Path(jieba.__file__).parent / "dict.txt"
    for line in dict_path.read_text(encoding="utf-8").splitlines():
        word, freq, tag = line.split(" ")
        if not _HAN.match(word) or not 2 <= len(word) <= 3:
            continue
        if tag == "nr":  # a person's name in jieba's dictionary: its given-name characters count too
            if word[0] in starts and len(word) in (2, 3):
                given_chars.update(word[1:])
            continue
        if int(freq) >= 30 and (word[0] in starts or word[-1] in starts):
            common.append(word)
    # Faker's given-name characters, then the ones most used in jieba's Chinese-style names (surname first).
    chars = "".join(dict.fromkeys([*"".join(given), *(c for c, _n in given_chars.most_common(400))]))
    return {"zh_surnames": single, "zh_compound_surnames": [s for s in surnames if len(s) > 1],
            "zh_given_chars": chars, "zh_common_words": sorted(set(common))}


def main() -> None:
    found, zh_surnames, zh_given = faker_names()
    names = {n for n in found | set(FIRST_NAMES) if len(n) >= 2}
    cased = sorted(n for n in names if any(c.isupper() for c in n))
    lowered = [n.lower() for n in cased]
    words = dictionary_words(lowered + sorted(n for n in names if n not in cased))
    blocked = {w.casefold() for w in COMMON_CAPITALISED} | AMBIGUOUS_NAMES | {m.casefold() for m in MONTHS}
    plain, wordlike = [], []
    for name in sorted(names):
        low = name.lower()
        if low in words or name in words or low in blocked or len(low) < 3:
            wordlike.append(name)
        else:
            plain.append(name)
    data = {
        "about": "Generated by tools/build_given_names.py from Faker (MIT) first names, cues.FIRST_NAMES, hunspell "
                 "dictionaries (to sort names that are also ordinary words into 'wordlike') and jieba's dictionary "
                 "(common Chinese words starting or ending with a surname character). Do not edit by hand.",
        "names": plain,
        "wordlike": wordlike,
        **chinese(zh_surnames, zh_given),
    }
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(plain)} names, {len(wordlike)} word-like, {len(data['zh_common_words'])} Chinese common words "
          f"-> {OUT} ({OUT.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
