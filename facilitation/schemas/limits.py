"""Every limit of a payload, defined once. Validation (the schemas), the templates'
`maxlength` and number inputs' `min`/`max`, the pages' `page-data` (`limits`, read by the
browser) and the import's checks all read these; changing a limit is a change of one line
here."""

LIMITS = {
    "item.text": 280,
    "initiative.title": 120,
    "initiative.description": 1000,
    "initiative.link": 500,
    "participant.display_name": 60,
    "participant.organisation": 120,
    "participant.country": 60,
    "workshop.title": 160,
    "workshop.description": 2000,
    "session.name": 80,
    "account.name": 80,
    "account.password": 200,
    "client_id": 64,
    "translation.text": 2000,
}
PASSWORD_MIN = 10
EMAIL_MAX = 254
ID_MAX = 2**63 - 1  # the largest id a database integer column holds
DOTS_MAX = 50  # dots per participant (per pool), and on one item
SDG_PICKS_MAX = 17  # SDGs a participant picks per axis
TIMER_MAX_MINUTES = 240  # a phase's countdown
# the numbers a facilitator sets, (lowest, highest): read when a payload is checked
NUMBERS = {
    "dots": (1, DOTS_MAX),
    "per_item": (1, DOTS_MAX),
    "sdg_limit": (1, SDG_PICKS_MAX),
    "minutes": (0, TIMER_MAX_MINUTES),  # above the lowest; fractions allowed
}
