"""The pair set of tests/data/merge_pairs.json: barriers and enablers in English, Spanish
and French, `pairs` that say the same thing in two languages and `non_pairs` that share a
topic or words but say different things; and how to score suggestions against it.

Each text of the set is one item (a text is named by (language, text)); its kind comes
from the set. Used by tests/test_similarity_pair_set.py and bench/merge_pairs.py.
"""

import json
from dataclasses import dataclass
from pathlib import Path

PATH = Path(__file__).resolve().parent / "data" / "merge_pairs.json"
LANGUAGES = ("en", "es", "fr")
TOP = 3  # a pair is found when each item's partner is among its first TOP suggestions


@dataclass(frozen=True)
class PairSet:
    """`items`: (kind, language, text) in a fixed order; `pairs` and `non_pairs`: sets
    of frozensets of two item positions in `items`."""

    items: tuple
    pairs: frozenset
    non_pairs: frozenset


def load(path=PATH):
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    kinds = {}
    for entry in data["pairs"] + data["non_pairs"]:
        for side in ("a", "b"):
            language, text = entry[side]
            kinds.setdefault((language, text), set()).add(entry["kind"])
    assert all(len(k) == 1 for k in kinds.values()), "a text is given two kinds"
    items = tuple((kinds[key].pop(), *key) for key in sorted(kinds))
    position = {(language, text): n for n, (_, language, text) in enumerate(items)}

    def positions(entries):
        return frozenset(
            frozenset((position[tuple(e["a"])], position[tuple(e["b"])])) for e in entries
        )

    return PairSet(items, positions(data["pairs"]), positions(data["non_pairs"]))


def translate(engine, items):
    """{position: {language: translation}} of every item into the other languages, one
    batch per language pair, as the translation worker sends them."""
    found = {n: {} for n in range(len(items))}
    for source in LANGUAGES:
        mine = [n for n, (_, language, _) in enumerate(items) if language == source]
        for target in LANGUAGES:
            if target == source or not mine:
                continue
            done = engine.translate([items[n][2] for n in mine], source, target)
            for n, text in zip(mine, done, strict=True):
                found[n][target] = text
    return found


@dataclass(frozen=True)
class Quality:
    suggested: int  # suggestions at or above the threshold the console shows
    right: int  # of them, known pairs
    precision: float
    recall: float  # known pairs suggested / known pairs
    top_recall: float  # known pairs whose two items each have the other in their top 3
    non_pairs: int  # suggestions that are a listed non-pair
    missed: tuple  # known pairs not in both items' top 3, as frozensets of positions


def quality(ranked, pair_set):
    """Score `ranked`: [(frozenset of two positions, score)], best first, every
    suggestion shown (at or above the threshold), against `pair_set`."""
    found = [pair for pair, _ in ranked]
    right = sum(1 for pair in found if pair in pair_set.pairs)
    missed = []
    for pair in sorted(pair_set.pairs, key=sorted):
        for item in pair:
            mine = [p for p in found if item in p][:TOP]
            if pair not in mine:
                missed.append(pair)
                break
    known = len(pair_set.pairs)
    return Quality(
        suggested=len(found),
        right=right,
        precision=right / len(found) if found else 0.0,
        recall=right / known,
        top_recall=(known - len(missed)) / known,
        non_pairs=sum(1 for pair in found if pair in pair_set.non_pairs),
        missed=tuple(missed),
    )
