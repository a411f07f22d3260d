"""Screenshots of the room screen in every phase, the console and the phone, from a demo.

Starts the real server (`python app.py`, as tests/realserver.py does) with a fresh SQLite
file, fills a workshop with an English and a Spanish session the way people would (joins,
initiatives, barriers and enablers with a merge across languages, dots, SDG picks), then
walks through the phases and saves PNGs with Debian's Chromium:

    docs/screenshots/room-<phase>.png           the whole workshop's room screen, 1920 x 1080
    docs/screenshots/room-es-<phase>.png        the Spanish session's room screen, 1920 x 1080
    docs/screenshots/room-720-<phase>.png       the whole workshop's room screen, 1280 x 720
    docs/screenshots/console.png                the console's prepare view, 1366 x 768
    docs/screenshots/console-run.png            running the English session, 1366 x 768
    docs/screenshots/console-run-both.png       running both sessions side by side, 1920 x 1080
    docs/screenshots/phone-<phase>.png          a participant's phone, 360 x 740
    docs/screenshots/phone-initiatives-form.png the phone's initiative form, at its axes

    .venv/bin/python bench/screenshots.py [--out docs/screenshots] [--only room]

`make screenshots` runs it. Prints where each file went; asserts nothing.
"""

import argparse
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from page_weight import CHROMIUM, LAUNCH_ARGS  # noqa: E402  (one browser setup for bench/)
from realserver import (  # noqa: E402
    RealServer,
    add_session,
    connect_facilitator,
    connect_participant,
    create_facilitator,
    create_workshop,
    join,
)

PHASES = ["lobby", "initiatives", "proposing", "voting", "sdg_picks", "results", "closed"]
SETTLE_S = 1.5  # results are broadcast at most once a second

PEOPLE = {
    "en": [
        ("Amara Okafor", "Lagos", "Nigeria"),
        ("Ben Carter", "Manchester", "United Kingdom"),
        ("Chloe Martin", "Toronto", "Canada"),
        ("Dev Patel", "Pune", "India"),
        ("Emma Lindqvist", "Gothenburg", "Sweden"),
        ("Farid Haddad", "Beirut", "Lebanon"),
        ("Grace Kim", "Seoul", "South Korea"),
        ("Hugo Weber", "Vienna", "Austria"),
    ],
    "es": [
        ("Lucía Fernández", "Valencia", "España"),
        ("Mateo Rojas", "Medellín", "Colombia"),
        ("Camila Torres", "Santiago", "Chile"),
        ("Diego Herrera", "Monterrey", "México"),
        ("Valentina Ruiz", "Montevideo", "Uruguay"),
        ("Javier Morales", "Quito", "Ecuador"),
    ],
}
INITIATIVES = {
    "en": [
        ("Open data portal for the city budget", "governance", [16, 17]),
        ("Bike lanes on every school route", "mobility", [3, 11]),
        ("Solar roofs on public buildings", "environment", [7, 13]),
        ("Digital skills in public libraries", "citizenship", [4, 10]),
        ("Start-up visas for green companies", "economy", [8, 9]),
        ("Heat map of noise and air quality", "quality", [3, 11]),
        ("Participatory budgeting app", "governance", [16]),
        ("On-demand night buses", "mobility", [11]),
    ],
    "es": [
        ("Huertos urbanos en azoteas", "environment", [2, 11, 13]),
        ("Presupuestos participativos en línea", "governance", [16]),
        ("Bicicletas públicas eléctricas", "mobility", [11, 13]),
        ("Wifi gratuito en plazas", "citizenship", [9, 10]),
        ("Mercado digital de productores locales", "economy", [8, 12]),
        ("Centros de salud con cita en línea", "quality", [3]),
    ],
}
ITEMS = {
    "en": [
        ("barrier", "Slow public procurement"),
        ("barrier", "Data kept in silos between departments"),
        ("barrier", "No budget for pilots"),
        ("enabler", "A city innovation office"),
        ("enabler", "Partnerships with universities"),
        ("enabler", "Open standards in every tender"),
    ],
    "es": [
        ("barrier", "Compras públicas lentas"),
        ("barrier", "Falta de personal técnico"),
        ("enabler", "Alianzas con universidades"),
        ("enabler", "Una oficina de innovación municipal"),
    ],
}


class Demo:
    """The demo workshop, run by its facilitator over the socket."""

    def __init__(self, server):
        self.server = server
        self.facilitator = create_facilitator(server)
        self.workshop_id = create_workshop(server, self.facilitator, "Smart Cities Study 2026")
        self.sessions = {
            "en": add_session(server, self.facilitator, self.workshop_id, "English group", "en"),
            "es": add_session(server, self.facilitator, self.workshop_id, "Grupo español", "es"),
        }
        self.live = connect_facilitator(server, self.facilitator)
        self.call("workshop:set_display", workshop_id=self.workshop_id, anonymity="public")
        self.people = {lang: [] for lang in self.sessions}
        self.items = {}

    def call(self, event, **data):
        ack = self.live.call(event, data)
        assert ack.get("ok"), (event, data, ack)
        return ack

    def move(self, phase, minutes=None):
        for session in self.sessions.values():
            data = {"session_id": session.id, "phase": phase}
            if minutes:
                data["minutes"] = minutes
            self.call("session:set_phase", **data)

    def join_all(self):
        for lang, people in PEOPLE.items():
            for name, city, country in people:
                person = join(self.server, self.sessions[lang], name, city, country)
                self.people[lang].append(connect_participant(self.server, person))

    def take_part(self, client, event, **data):
        ack = client.call(event, data)
        assert ack.get("ok"), (event, data, ack)
        return ack

    def post_initiatives(self):
        for lang, rows in INITIATIVES.items():
            for n, (title, axis, sdgs) in enumerate(rows):
                who = self.people[lang][n % len(self.people[lang])]
                self.take_part(
                    who,
                    "initiative:post",
                    client_id=uuid.uuid4().hex,
                    title=title,
                    description="",
                    axis=axis,
                    sdgs=sdgs,
                    link="",
                )

    def propose(self):
        for lang, rows in ITEMS.items():
            for n, (kind, text) in enumerate(rows):
                who = self.people[lang][n % len(self.people[lang])]
                ack = self.take_part(
                    who, "item:propose", client_id=uuid.uuid4().hex, text=text, kind=kind
                )
                self.items[text] = ack["item"]["id"]
        pairs = [
            ("Slow public procurement", "Compras públicas lentas"),
            ("Partnerships with universities", "Alianzas con universidades"),
        ]
        for a, b in pairs:
            self.call(
                "item:merge", workshop_id=self.workshop_id, item_ids=[self.items[a], self.items[b]]
            )

    def vote(self, share=0.75):
        favourites = {
            "en": [
                "Slow public procurement",
                "Data kept in silos between departments",
                "A city innovation office",
                "Partnerships with universities",
            ],
            "es": [
                "Compras públicas lentas",
                "Falta de personal técnico",
                "Alianzas con universidades",
                "Una oficina de innovación municipal",
            ],
        }
        for lang, clients in self.people.items():
            voters = clients[: max(1, int(len(clients) * share))]
            for n, client in enumerate(voters):
                for k in range(3):
                    text = favourites[lang][(n + k * (k + 1)) % len(favourites[lang])]
                    client.call(
                        "vote:cast",
                        {"client_id": uuid.uuid4().hex, "item_id": self.items[text], "delta": 1},
                    )

    def pick(self):
        picks = {
            "mobility": [11, 13, 3],
            "environment": [13, 7, 11],
            "governance": [16, 17],
            "economy": [8, 9],
            "citizenship": [4, 10],
            "quality": [3, 11],
        }
        for clients in self.people.values():
            for n, client in enumerate(clients):
                for axis, sdgs in picks.items():
                    for sdg in sdgs[: 1 + n % len(sdgs)]:
                        client.call("sdg:pick", {"axis": axis, "sdg": sdg, "picked": True})

    def close(self):
        for clients in self.people.values():
            for client in clients:
                client.close()
        self.live.close()


def shoot(page, path, wait=SETTLE_S):
    time.sleep(wait)
    page.screenshot(path=str(path))
    print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--only", choices=["room", "all"], default="all")
    args = parser.parse_args()
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        server = RealServer(folder).start()
        demo = None
        try:
            demo = Demo(server)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
                cookies = [
                    {"name": c.name, "value": c.value, "url": server.url}
                    for c in demo.facilitator.cookies
                ]

                def screen(width, height, path):
                    context = browser.new_context(
                        viewport={"width": width, "height": height},
                        locale="en-GB",
                        reduced_motion="reduce",
                    )
                    context.add_cookies(cookies)
                    page = context.new_page()
                    page.goto(f"{server.url}{path}")
                    return page

                base = f"/facilitator/workshops/{demo.workshop_id}"
                room = screen(1920, 1080, f"{base}/projector?lang=en")
                small = screen(1280, 720, f"{base}/projector?lang=en")
                spanish = screen(
                    1920, 1080, f"/facilitator/sessions/{demo.sessions['es'].id}/projector"
                )
                console = screen(1366, 768, base)
                running = screen(1366, 768, f"/facilitator/sessions/{demo.sessions['en'].id}/run")
                both = screen(1920, 1080, f"{base}/run")
                phone = None
                if args.only == "all":
                    context = browser.new_context(
                        viewport={"width": 360, "height": 740},
                        locale="en-GB",
                        reduced_motion="reduce",
                    )
                    phone = context.new_page()
                    phone.goto(f"{server.url}/j/{demo.sessions['en'].code}")
                    phone.locator("#f-display_name").fill("Iris Novak")
                    phone.locator("#f-organisation").fill("Ljubljana")
                    phone.locator("#f-country").fill("Slovenia")
                    phone.locator("main button.primary").click()

                steps = {
                    "lobby": demo.join_all,
                    "initiatives": demo.post_initiatives,
                    "proposing": demo.propose,
                    "voting": demo.vote,
                    "sdg_picks": demo.pick,
                    "results": lambda: None,
                    "closed": lambda: None,
                }
                timed = {"initiatives": 10, "proposing": 8, "voting": 5}
                for phase in PHASES:
                    if phase != "lobby":
                        demo.move(phase, timed.get(phase))
                    steps[phase]()
                    time.sleep(SETTLE_S)
                    shoot(room, out / f"room-{phase}.png")
                    shoot(small, out / f"room-720-{phase}.png", 0)
                    shoot(spanish, out / f"room-es-{phase}.png", 0)
                    if phone is not None and phase != "closed":
                        shoot(phone, out / f"phone-{phase}.png", 0)
                    if phone is not None and phase == "initiatives":  # the axes to choose from
                        phone.locator("#f-description").scroll_into_view_if_needed()
                        phone.evaluate("window.scrollBy(0, 200)")
                        shoot(phone, out / "phone-initiatives-form.png", 0)
                        phone.evaluate("window.scrollTo(0, 0)")
                    if phase == "voting" and args.only == "all":
                        shoot(console, out / "console.png", 0)
                        shoot(running, out / "console-run.png", 0)
                        shoot(both, out / "console-run-both.png", 0)
                browser.close()
        finally:
            if demo is not None:
                demo.close()
            server.stop()


if __name__ == "__main__":
    main()
