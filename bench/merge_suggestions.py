"""Merge suggestions benchmark: how long domain/similarity.py takes to rank the suggested
duplicates of a workshop's barriers and enablers, and how right it is on the pair set of
tests/similarity_pairs.py (precision and recall, with and without the translations). It
prints figures and asserts nothing about them (see docs/performance.md).

    .venv/bin/python bench/merge_suggestions.py --sizes 100,300,1000

For each size N it makes N items spread over an English, a Spanish and a French session
(half barriers, half enablers), each 3 to 8 words drawn with a fixed seed from a list of
words the three languages share (every tenth item repeats an earlier one in other words:
the duplicates to find), with its translations into the two other languages, word by word;
then it times `suggest`: the median and the slowest wall time of --runs runs, and the
median CPU time (the process's own, whatever else the machine runs). The words are few, so
most items share one with many others: a harder case than real texts.
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from similarity_pairs import entries as pair_set  # noqa: E402
from similarity_pairs import known_pairs  # noqa: E402

from facilitation.domain.similarity import Entry, suggest  # noqa: E402

LANGUAGES = ("en", "es", "fr")
# (en, es, fr): words a barrier or an enabler is made of
WORDS = [
    ("lack", "falta", "manque"),
    ("funding", "financiación", "financement"),
    ("pilot", "piloto", "pilote"),
    ("projects", "proyectos", "projets"),
    ("bureaucracy", "burocracia", "bureaucratie"),
    ("procurement", "contratación", "marchés"),
    ("citizens", "ciudadanos", "citoyens"),
    ("trust", "confianza", "confiance"),
    ("council", "ayuntamiento", "mairie"),
    ("digital", "digitales", "numériques"),
    ("skills", "habilidades", "compétences"),
    ("open", "abiertos", "ouvertes"),
    ("data", "datos", "données"),
    ("standards", "estándares", "normes"),
    ("resistance", "resistencia", "résistance"),
    ("change", "cambio", "changement"),
    ("administration", "administración", "administration"),
    ("internet", "internet", "internet"),
    ("rural", "rurales", "rurales"),
    ("areas", "zonas", "zones"),
    ("privacy", "privacidad", "vie privée"),
    ("sensors", "sensores", "capteurs"),
    ("coordination", "coordinación", "coordination"),
    ("departments", "departamentos", "services"),
    ("electric", "eléctricos", "électriques"),
    ("buses", "autobuses", "bus"),
    ("rules", "normas", "règles"),
    ("leadership", "liderazgo", "leadership"),
    ("political", "político", "politique"),
    ("universities", "universidades", "universités"),
    ("partnerships", "alianzas", "partenariats"),
    ("budgeting", "presupuestos", "budgets"),
    ("participatory", "participativos", "participatifs"),
    ("training", "formación", "formation"),
    ("staff", "personal", "personnel"),
    ("platform", "plataforma", "plateforme"),
    ("local", "locales", "locales"),
    ("businesses", "empresas", "entreprises"),
    ("energy", "energía", "énergie"),
    ("buildings", "edificios", "bâtiments"),
    ("transport", "transporte", "transport"),
    ("night", "noche", "nuit"),
    ("software", "software", "logiciel"),
    ("vendors", "proveedores", "fournisseurs"),
    ("regional", "regional", "régional"),
    ("government", "gobierno", "gouvernement"),
    ("strategy", "estrategia", "stratégie"),
    ("housing", "vivienda", "logement"),
    ("water", "agua", "eau"),
    ("waste", "residuos", "déchets"),
    ("mobility", "movilidad", "mobilité"),
    ("tourism", "turismo", "tourisme"),
    ("schools", "escuelas", "écoles"),
    ("health", "salud", "santé"),
    ("parks", "parques", "parcs"),
    ("cycling", "ciclismo", "vélo"),
    ("lighting", "alumbrado", "éclairage"),
    ("permits", "permisos", "permis"),
    ("startups", "startups", "startups"),
    ("elderly", "mayores", "aînés"),
]


def workshop(size, seed=7):
    """`size` items over three sessions, with their word-by-word translations."""
    rng = random.Random(seed)
    made, drawn = [], []
    for i in range(1, size + 1):
        language = LANGUAGES[i % 3]
        kind = ("barrier", "enabler")[(i // 3) % 2]
        if i % 10 == 0 and drawn:  # a duplicate of an earlier item, in other words
            words = rng.choice(drawn)
            words = rng.sample(words, k=max(2, len(words) - 1))
        else:
            words = rng.sample(range(len(WORDS)), k=rng.randint(3, 8))
            drawn.append(words)
        text = {lang: " ".join(WORDS[w][n] for w in words) for n, lang in enumerate(LANGUAGES)}
        translations = {lang: text[lang] for lang in LANGUAGES if lang != language}
        made.append(Entry(i, kind, language, text[language].capitalize(), translations))
    return made


def timed(items, runs):
    """(median wall time, slowest wall time, median CPU time, suggestions) of `suggest`;
    on a shared machine the CPU time is the figure that does not depend on the others."""
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        found = suggest(items)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), max(wall), statistics.median(cpu), len(found)


def quality(translated):
    found = {s.item_ids for s in suggest(pair_set(translated), limit=10**6)}
    right = len(found & known_pairs())
    precision = right / len(found) if found else 0.0
    return len(found), precision, right / len(known_pairs())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,300,1000")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    print(f"{'items':>6} {'median ms':>10} {'slowest ms':>11} {'CPU ms':>8} {'suggested':>10}")
    for size in sizes:
        median, slowest, cpu, count = timed(workshop(size), args.runs)
        print(
            f"{size:>6} {median * 1000:>10.1f} {slowest * 1000:>11.1f} {cpu * 1000:>8.1f}"
            f" {count:>10}"
        )
    pairs = len(known_pairs())
    print(f"\npair set: {pairs} known pairs, {len(pair_set())} items (en, es, fr)")
    print(f"{'translations':>13} {'suggested':>10} {'precision':>10} {'recall':>8}")
    for translated in (True, False):
        count, precision, recall = quality(translated)
        label = "with" if translated else "without"
        print(f"{label:>13} {count:>10} {precision:>10.2f} {recall:>8.2f}")


if __name__ == "__main__":
    main()
