"""The six smart-city axes and the 17 SDGs, read once from the shipped taxonomy.json.

Results are aggregated on codes (axis codes, SDG numbers); names are looked up in the
viewer's locale only when rendering.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "taxonomy.json"
FALLBACK_LOCALE = "en"


@dataclass(frozen=True)
class Axis:
    code: str
    names: dict

    def name(self, locale):
        return self.names.get(locale) or self.names[FALLBACK_LOCALE]


@dataclass(frozen=True)
class Sdg:
    number: int
    colour: str
    names: dict

    def name(self, locale):
        return self.names.get(locale) or self.names[FALLBACK_LOCALE]

    @property
    def text_colour(self):
        """Black or white, whichever contrasts more with the badge colour."""
        return best_text_colour(self.colour)


@dataclass(frozen=True)
class Taxonomy:
    axes: tuple
    sdgs: tuple

    @property
    def axis_codes(self):
        return tuple(a.code for a in self.axes)

    @property
    def sdg_numbers(self):
        return tuple(s.number for s in self.sdgs)

    def for_locale(self, locale):
        """Plain data for a client: codes, names in `locale`, colours."""
        return {
            "axes": [{"code": a.code, "name": a.name(locale)} for a in self.axes],
            "sdgs": [
                {
                    "number": s.number,
                    "name": s.name(locale),
                    "colour": s.colour,
                    "text_colour": s.text_colour,
                }
                for s in self.sdgs
            ],
        }


def _names(entry):
    return {k: v for k, v in entry.items() if k not in ("code", "number", "colour")}


@cache
def taxonomy():
    """The taxonomy shipped with the app (cached: it never changes at run time)."""
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    axes = tuple(Axis(a["code"], _names(a)) for a in raw["axes"])
    sdgs = tuple(Sdg(s["number"], s["colour"], _names(s)) for s in raw["sdgs"])
    return Taxonomy(axes, sdgs)


def relative_luminance(hex_colour):
    """WCAG 2.1 relative luminance of a #RRGGBB colour."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a, b):
    """WCAG contrast ratio between two #RRGGBB colours (1 to 21)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def best_text_colour(background):
    return max(("#000000", "#FFFFFF"), key=lambda fg: contrast_ratio(fg, background))
