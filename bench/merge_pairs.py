"""Merge suggestions across languages on the pair set (tests/data/merge_pairs.json): precision
and recall with and without machine translations. It prints figures and asserts nothing
about them (see docs/performance.md; tests/test_similarity_pair_set.py checks the pairs).

    .venv/bin/python bench/merge_pairs.py

Every text of the set is a barrier or an enabler (its kind from the set) of a workshop with
an English, a Spanish and a French session. Each is translated by Debian's Apertium into
the two other languages, one batch per language pair (English and French through Spanish),
as the translation worker does; then domain/similarity.py ranks the suggestions as the
console's service does, with every suggestion at or above the threshold the console shows
(`THRESHOLD`) counted, and again without any translation (the engine off). Printed per
case: suggestions, those that are known pairs, precision (pairs / suggestions), recall
(pairs suggested / known pairs), top-3 recall (pairs whose two items each have the other
among their first three suggestions), listed non-pairs suggested, and the same over the
console's first page (`SUGGESTIONS_MAX`). Without Apertium only the case without runs.
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import merge_pair_set  # noqa: E402

from facilitation.domain.similarity import (  # noqa: E402
    SUGGESTIONS_MAX,
    THRESHOLD,
    Entry,
    suggest,
)
from facilitation.translation.apertium import Apertium  # noqa: E402


def ranked(pair_set, translated):
    """Every suggestion at or above the threshold: [(pair of positions, score)]."""
    entries = [
        Entry(n + 1, kind, language, text, translated.get(n, {}))
        for n, (kind, language, text) in enumerate(pair_set.items)
    ]
    found = suggest(entries, limit=None)
    return [(frozenset(i - 1 for i in s.item_ids), s.score) for s in found]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default=str(merge_pair_set.PATH), help="the pair set (JSON)")
    parser.add_argument("--wrong", action="store_true", help="list the wrong suggestions")
    args = parser.parse_args(argv)
    pair_set = merge_pair_set.load(args.set)
    languages = sorted({language for _, language, _ in pair_set.items})
    print(
        f"pair set: {len(pair_set.items)} items ({', '.join(languages)}),"
        f" {len(pair_set.pairs)} known pairs, {len(pair_set.non_pairs)} listed non-pairs;"
        f" threshold {THRESHOLD}"
    )
    cases = [("without", {})]
    engine = Apertium()
    if engine.installed():
        start = time.perf_counter()
        translated = merge_pair_set.translate(engine, pair_set.items)
        took = time.perf_counter() - start
        print(f"translated by apertium ({', '.join(sorted(engine.modes()))}) in {took:.1f} s")
        cases.insert(0, ("with", translated))
    else:
        print("apertium is not installed: the case with translations is left out")
    header = (
        f"{'translations':>13} {'shown':>7} {'suggested':>10} {'pairs':>6} {'precision':>10}"
        f" {'recall':>7} {'top-3':>6} {'non-pairs':>10}"
    )
    print(header)
    for label, translated in cases:
        everything = ranked(pair_set, translated)
        for shown, found in (("all", everything), (SUGGESTIONS_MAX, everything[:SUGGESTIONS_MAX])):
            q = merge_pair_set.quality(found, pair_set)
            print(
                f"{label:>13} {shown:>7} {q.suggested:>10} {q.right:>6} {q.precision:>10.2f}"
                f" {q.recall:>7.2f} {q.top_recall:>6.2f} {q.non_pairs:>10}"
            )
        if args.wrong:
            for pair, score in everything:
                if pair not in pair_set.pairs:
                    texts = " / ".join(pair_set.items[n][2] for n in sorted(pair))
                    print(f"{'':>13} wrong {score:.3f} {texts}")


if __name__ == "__main__":
    main()
