"""Suggested duplicates among barriers and enablers: pairs of the same kind, ranked by how
alike their texts are, within a session and across sessions and languages.

Texts are compared as bags of light stems (case, accents, punctuation and stop words of
English, Spanish and French set aside), weighted by how rare each stem is among the items
(TF-IDF; words that only say something is missing weigh little) and compared by cosine.
Across languages each text is read against the other item's stored translation into its
language, both ways, and the better reading counts; within a reading, stems sharing their
first letters count as well, for less (an engine's "technological" for "technology").
Signals that need no translation count too: numbers, names and acronyms, and cognates of
the texts themselves (stems sharing their first letters once accents are gone).
Deterministic: the same items give the same suggestions in the same order.

Called by services/merging.py, which reads the items, their translations and the
dismissed pairs.
"""

import functools
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

SUGGESTIONS_MAX = 30  # most suggestions offered at once
THRESHOLD = 0.25  # least score suggested
COGNATE_PREFIX = 5  # letters two stems share to count as cognates
COGNATE_WEIGHT = 0.9  # cognates count less than the same word
NUMBERS_WEIGHT = 0.15
NAMES_WEIGHT = 0.15
OTHER_NUMBERS_PENALTY = 0.5  # both texts give numbers and none is shared
ONE_WORD_FACTOR = 0.8  # the likeness rests on one word of longer texts, a word 3+ items use
LIGHT_WEIGHT = 0.3  # how much a word that only says "missing" weighs against the others


def _words(text):
    return frozenset(text.split())


STOP_WORDS = {
    "en": _words(
        """a about after against all also among an and any are as at be been before being
        between but by can could do does during each every for from had has have how if in
        into is it its more most much no not of on or our
        other over so some such than that the their them then there these they this those
        to too up very was we were what when where which while who will with without would
        you your lot lots many few"""
    ),
    "es": _words(
        """a al algo algun alguna algunas algunos ante antes bajo cada como con contra cual
        cuando de del desde donde e el ella ellas ellos en entre era es esa esas ese eso esos
        esta estan estas este esto estos ha hay la las le les lo los mas me muy mucho muchos
        mucha muchas ni no nos o os otra otras otro otros para pero poco pocos por porque que
        quien se ser si sin sobre su sus tambien tan tanto te todo todos tu un una unas unos
        y ya"""
    ),
    "fr": _words(
        """a au aux avec ce ces cet cette d dans de des du elle elles en entre est et etre
        eux il ils je l la le les leur leurs lui m ma mais me meme mes moins n ne ni nos notre
        nous on ou par pas peu plus pour qu que qui s sa sans se ses si son sont sur ta te tes
        toi ton tous tout toute toutes tres trop un une vos votre vous y beaucoup"""
    ),
}

# words that only say something is missing or too little: two barriers are not alike
# because both lack something ("Lack of funding", "Lack of trust"), and "Lack of funding"
# is the same barrier as "Funding"; they weigh little rather than nothing
LIGHT_WORDS = {
    "en": _words("lack lacking shortage insufficient absence"),
    "es": _words("falta carencia escasez insuficiente ausencia"),
    "fr": _words("manque insuffisant insuffisance absence penurie"),
}

# longest first; a stem keeps at least three letters
SUFFIXES = {
    "en": (
        "ations",
        "ation",
        "ments",
        "ment",
        "ness",
        "ings",
        "ing",
        "ities",
        "ity",
        "ies",
        "ied",
        "ed",
        "ly",
        "es",
        "s",
        "e",
    ),
    "es": (
        "amientos",
        "imientos",
        "amiento",
        "imiento",
        "aciones",
        "uciones",
        "acion",
        "ucion",
        "ciones",
        "cion",
        "mente",
        "idades",
        "idad",
        "ables",
        "able",
        "ibles",
        "ible",
        "ismos",
        "ismo",
        "istas",
        "ista",
        "ivos",
        "ivas",
        "ivo",
        "iva",
        "es",
        "os",
        "as",
        "s",
        "o",
        "a",
        "e",
    ),
    "fr": (
        "issements",
        "issement",
        "ements",
        "ement",
        "ations",
        "ation",
        "ments",
        "ment",
        "ites",
        "ite",
        "euses",
        "euse",
        "eux",
        "ives",
        "ive",
        "ifs",
        "if",
        "es",
        "s",
        "x",
        "e",
    ),
}

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


@dataclass(frozen=True)
class Entry:
    """An item as compared: `translations` maps a language to the text in it."""

    id: int
    kind: str
    language: str
    text: str
    translations: Mapping[str, str] = field(default_factory=dict)
    group_id: int | None = None
    hidden: bool = False


@dataclass(frozen=True)
class Reason:
    """Why a pair is suggested: `code` "words", "translation", "cognates", "numbers" or
    "names", and the terms it rests on, as written in one of the two texts."""

    code: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Suggestion:
    item_ids: tuple[int, int]
    score: float
    reasons: tuple[Reason, ...]


# --- normalising a text ------------------------------------------------------------------


@functools.lru_cache(maxsize=8192)
def fold(word):
    """Lower case, accents stripped ("Financiación" -> "financiacion")."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=8192)
def stem(word, language):
    """A light stem of a folded word: the longest known suffix of its language taken off
    while at least three letters remain. Consistent rather than linguistically exact."""
    for suffix in SUFFIXES.get(language, SUFFIXES["en"]):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix in ("ies", "ied") and language == "en":
                return word[: -len(suffix)] + "y"
            return word[: -len(suffix)]
    return word


@dataclass(frozen=True)
class Terms:
    """A text's stems (each with the first word written that way), numbers and names."""

    stems: dict
    numbers: frozenset
    names: dict


def terms(text, language):
    """The stems, numbers and names (capitalised words past the first, acronyms) of `text`."""
    stops = STOP_WORDS.get(language, frozenset())
    stems, names = {}, {}
    numbers = frozenset(n.replace(",", ".") for n in NUMBER.findall(text))
    for position, match in enumerate(WORD.finditer(text)):
        word = match.group()
        if word.isdigit():
            continue
        folded = fold(word.replace("’", "'"))
        if "'" in folded:  # l'accès, d'un: the elided article goes
            folded = folded.split("'", 1)[1]
        acronym = len(word) >= 2 and word.isupper()
        if acronym or (position > 0 and word[0].isupper()):
            names.setdefault(folded, word)
        if folded in stops or len(folded) < 2:
            continue
        stems.setdefault(stem(folded, language), word)
    return Terms(stems, numbers, names)


def cognate(key):
    return key[:COGNATE_PREFIX]


# --- comparing ---------------------------------------------------------------------------


@functools.cache
def _light():
    """The stems and cognate keys of LIGHT_WORDS."""
    stems = {stem(fold(w), lang) for lang, found in LIGHT_WORDS.items() for w in found}
    return frozenset(stems | {cognate(k) for k in stems})


class _Space:
    """TF-IDF weights over every bag of stems (texts and translations) of the items;
    light words weigh less."""

    def __init__(self, bags):
        counts = defaultdict(int)
        for bag in bags:
            for key in bag:
                counts[key] += 1
        total = max(1, len(bags))
        light = _light()
        self.idf = {
            key: math.log(1 + total / n) * (LIGHT_WEIGHT if key in light else 1.0)
            for key, n in counts.items()
        }

    def vector(self, keys):
        weights = {k: self.idf.get(k, math.log(2)) for k in keys}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {k: w / norm for k, w in weights.items()}


def _cosine(u, v):
    """(cosine of two unit vectors, the keys they share)."""
    shared = u.keys() & v.keys()
    return sum(u[k] * v[k] for k in shared), shared


def _jaccard(a, b):
    return len(a & b) / len(a | b) if a and b else 0.0


class _Prepared:
    """One entry's bags: its own text and each translation, stems and cognate keys."""

    def __init__(self, entry):
        self.entry = entry
        self.own = terms(entry.text, entry.language)
        self.translated = {
            lang: terms(text, lang)
            for lang, text in sorted(entry.translations.items())
            if lang != entry.language and text
        }
        self.cognates = {cognate(k): w for k, w in self.own.stems.items()}
        # every reading of the text: itself and its translations, by language
        self.readings = {**self.translated, entry.language: self.own}
        self.numbers = self.own.numbers
        self.names = self.own.names

    @property
    def unit(self):
        return ("g", self.entry.group_id) if self.entry.group_id else ("i", self.entry.id)


def _reading(first, second, language):
    """(score, space, shared keys) of two entries read in `language`: the cosine of
    their stems ("s"), or of their cognate keys ("c") counted for less where that is
    higher (the engine may render one word in two forms: "technology", "technological")."""
    exact, shared = _cosine(first.vectors[language], second.vectors[language])
    related, related_shared = _cosine(first.related[language], second.related[language])
    if COGNATE_WEIGHT * related > exact:
        return COGNATE_WEIGHT * related, "c", related_shared
    return exact, "s", shared


def _words_of(reading, space):
    """{key: word as written} of a reading's stems ("s") or cognate keys ("c")."""
    if space == "s":
        return reading.stems
    words = {}
    for key, word in reading.stems.items():
        words.setdefault(cognate(key), word)
    return words


def _through(first, second):
    """How alike two texts of different languages read through their translations: the
    better of one text against the other's translation into its language, both ways (the
    engine renders a text better into one language than another; a reading through a
    third language, two translations away, adds more noise than it finds). Returns
    (score, language, space, shared keys); (0, None, None, ()) without a translation."""
    best = (0.0, None, None, ())
    languages = {first.entry.language, second.entry.language}
    for language in sorted(languages & first.readings.keys() & second.readings.keys()):
        score, space, shared = _reading(first, second, language)
        if score > best[0]:
            best = (score, language, space, shared)
    return best


def _through_words(first, second, language, space, shared):
    """The words a reading rests on, as written in the text read in its own language."""
    side = second if second.entry.language == language else first
    return _in_order(_words_of(side.readings[language], space), shared)


def _in_order(words, keys):
    """The words (stem -> word as written) of `keys`, in the order of the text."""
    return tuple(word for key, word in words.items() if key in keys)


def _compare(a, b, spread, threshold):
    """(score, reasons) of two prepared entries of the same kind, or None below
    `threshold`; `spread(key)` is how many items hold a stem ("s", stem) or a cognate
    ("c", key)."""
    same_language = a.entry.language == b.entry.language
    if same_language:
        text_score, shared = _cosine(a.vectors["own"], b.vectors["own"])
        support = [("s", k) for k in shared]
    else:
        through, language, space, through_keys = _through(a, b)
        related, related_keys = _cosine(a.vectors["cognates"], b.vectors["cognates"])
        related *= COGNATE_WEIGHT
        text_score = max(through, related)
        if through >= related:
            support = [(space, k) for k in through_keys]
        else:
            support = [("c", k) for k in related_keys]
    # one word many items use says little when the texts say more
    longer = min(len(a.own.stems), len(b.own.stems)) > 1
    if len(support) == 1 and longer and spread(support[0]) > 2:
        text_score *= ONE_WORD_FACTOR
    numbers = _jaccard(a.numbers, b.numbers)
    score = text_score + NUMBERS_WEIGHT * numbers
    if not numbers and a.numbers and b.numbers:
        score *= OTHER_NUMBERS_PENALTY
    common_names = a.names.keys() & b.names.keys()
    if common_names:
        score += NAMES_WEIGHT * _jaccard(set(a.names), set(b.names))
    score = round(min(1.0, score), 3)
    if score < threshold:
        return None
    reasons = []
    if same_language:
        if shared:
            reasons.append(Reason("words", _in_order(a.own.stems, shared)))
    else:
        if through_keys and through >= related * 0.5:
            words = _through_words(a, b, language, space, through_keys)
            reasons.append(Reason("translation", words))
        if related_keys:
            reasons.append(Reason("cognates", _in_order(a.cognates, related_keys)))
    if numbers:
        reasons.append(Reason("numbers", tuple(sorted(a.numbers & b.numbers))))
    if common_names:
        reasons.append(Reason("names", _in_order(a.names, common_names)))
    return score, tuple(reasons)


def _spread(index, kind, key):
    """How many items of `kind` hold `key`."""
    return len(index[(kind, *key)])


def suggest(entries, dismissed=frozenset(), limit=SUGGESTIONS_MAX, threshold=THRESHOLD):
    """Suggested pairs among `entries` (Entry), best first: same kind, neither hidden, not
    already in one group, not a dismissed pair (`(smaller id, larger id)` in `dismissed`).
    Two groups (or a group and an item) are suggested once, through their closest pair."""
    prepared = [_Prepared(e) for e in sorted(entries, key=lambda e: e.id) if not e.hidden]
    bags = [t.stems for p in prepared for t in p.readings.values()]
    words = _Space(bags)
    cognates = _Space([{cognate(k) for k in bag} for bag in bags])
    for p in prepared:  # unit TF-IDF vectors: a cosine is then a dot product
        p.vectors = {lang: words.vector(t.stems) for lang, t in p.readings.items()}
        p.vectors["own"] = p.vectors[p.entry.language]
        p.vectors["cognates"] = cognates.vector(p.cognates)
        p.related = {
            lang: cognates.vector({cognate(k) for k in t.stems}) for lang, t in p.readings.items()
        }
    # candidates: items of one kind sharing a stem, a cognate, a number or a name (an
    # inverted index rather than every pair)
    index = defaultdict(list)
    for position, p in enumerate(prepared):
        keys = {("s", k) for k in p.own.stems}
        keys |= {("s", k) for t in p.translated.values() for k in t.stems}
        keys |= {("c", cognate(k)) for t in p.readings.values() for k in t.stems}
        keys |= {("n", k) for k in p.numbers} | {("p", k) for k in p.names}
        for key in keys:
            index[(p.entry.kind, *key)].append(position)
    candidates = set()
    for positions in index.values():
        for i, first in enumerate(positions):
            candidates.update((first, second) for second in positions[i + 1 :])
    best = {}
    for first, second in sorted(candidates):
        a, b = prepared[first], prepared[second]
        if a.unit == b.unit or (a.entry.id, b.entry.id) in dismissed:
            continue
        compared = _compare(a, b, functools.partial(_spread, index, a.entry.kind), threshold)
        if compared is None:
            continue
        score, reasons = compared
        units = tuple(sorted((a.unit, b.unit)))
        if units not in best or score > best[units].score:
            best[units] = Suggestion((a.entry.id, b.entry.id), score, reasons)
    ranked = sorted(best.values(), key=lambda s: (-s.score, s.item_ids))
    return ranked[:limit]
