"""Links as people typed them, minus what would make them read differently than they go."""

# bidirectional controls: ALM, LRM, RLM, the embeddings and overrides (U+202A-U+202E) and
# the isolates (U+2066-U+2069); an RTL override makes `https://evil.example/gro.elpmaxe`
# show as something else entirely
BIDI_CONTROLS = dict.fromkeys(
    [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)


def without_bidi_controls(link):
    """`link` with every bidirectional control character removed (non-strings unchanged)."""
    return link.translate(BIDI_CONTROLS) if isinstance(link, str) else link
