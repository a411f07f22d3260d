"""Bar charts and heat levels of the report, drawn the same way as SVG (HTML and PDF
report) and as PNG (Word report).

The geometry leaves a column of its own for the numbers, right of the longest bar, so
every bar shows its number however long it is.
"""

import io
from dataclasses import dataclass
from pathlib import Path

LABEL_WIDTH = 250  # px for the labels, left of the bars
BAR_SPACE = 330  # px the longest bar takes
VALUE_GAP = 6  # px between a bar's end and its number
VALUE_WIDTH = 64  # px kept for the numbers, right of the longest bar
ROW = 26  # px per bar
BAR_HEIGHT = 18
WIDTH = LABEL_WIDTH + BAR_SPACE + VALUE_GAP + VALUE_WIDTH
LABEL_CHARS = 34
FONT_SIZE = 13
BAR_COLOUR = "#0b5cad"
TEXT_COLOUR = "#1b1f23"


@dataclass(frozen=True)
class Bar:
    label: str  # as drawn (shortened to LABEL_CHARS)
    full_label: str
    value: int
    length: int  # px
    top: int  # px from the chart's top to the bar's top
    value_x: int  # px where the number starts

    @property
    def baseline(self):
        return self.top + BAR_HEIGHT - 5


@dataclass(frozen=True)
class BarChart:
    bars: list
    width: int = WIDTH

    @property
    def height(self):
        return len(self.bars) * ROW + 4


def shorten(text, limit=LABEL_CHARS):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def bar_chart(pairs):
    """A BarChart of (label, value) pairs, in their order; the longest bar is BAR_SPACE."""
    top = max((value for _label, value in pairs), default=0)
    bars = []
    for row, (label, value) in enumerate(pairs):
        length = round(BAR_SPACE * value / top) if top else 0
        bars.append(
            Bar(
                label=shorten(label),
                full_label=label,
                value=value,
                length=length,
                top=row * ROW + 4,
                value_x=LABEL_WIDTH + length + VALUE_GAP,
            )
        )
    return BarChart(bars)


def heat(count, top):
    """Heat class 0-5 of a cell, as the live heatmaps use."""
    return 0 if not count or not top else max(1, -(-count * 5 // top))


# the blue scale of static/css/app.css's .heat-0 ... .heat-5, for the Word report's cells
HEAT_FILL = ("FFFFFF", "E3EEF9", "BCD5EF", "8DB7E3", "4F8FD1", "1F5FA8")
HEAT_TEXT = ("1B1F23", "1B1F23", "1B1F23", "1B1F23", "FFFFFF", "FFFFFF")

FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
)


def _font(size):
    from PIL import ImageFont

    for path in FONTS:
        if path.exists():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def bar_chart_png(chart, scale=2):
    """PNG bytes of `chart`, drawn with Pillow at `scale` times its pixel size."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (chart.width * scale, chart.height * scale), "white")
    draw = ImageDraw.Draw(image)
    font = _font(FONT_SIZE * scale)
    for bar in chart.bars:
        middle = (bar.top + BAR_HEIGHT / 2) * scale
        draw.text((0, middle), bar.label, fill=TEXT_COLOUR, font=font, anchor="lm")
        if bar.length:
            draw.rectangle(
                (
                    LABEL_WIDTH * scale,
                    bar.top * scale,
                    (LABEL_WIDTH + bar.length) * scale - 1,
                    (bar.top + BAR_HEIGHT) * scale - 1,
                ),
                fill=BAR_COLOUR,
            )
        draw.text(
            (bar.value_x * scale, middle), str(bar.value), fill=TEXT_COLOUR, font=font, anchor="lm"
        )
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
