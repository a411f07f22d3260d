"""The closing figures' cities and countries (services.results): each place counted once,
whatever its case or spaces, per session and across the two languages."""

from facilitation.services import participants, results
from facilitation.unit_of_work import work


def test_places_and_countries_are_counted_once_per_spelling(app, workshop):
    people = {
        "en": [("Oslo", "Norway"), (" oslo ", "NORWAY"), ("Bergen", "Norway"), ("OSLO", "norway ")],
        "es": [("Málaga", "España"), ("MÁLAGA", "españa"), ("Oslo", "Norway"), ("Oslo", "Norway")],
    }
    with app.app_context(), work():
        for lang, places in people.items():
            for n, (organisation, country) in enumerate(places):
                participants.join(
                    workshop[lang]["code"],
                    {"display_name": f"P{n}", "organisation": organisation, "country": country},
                )
    with app.app_context():
        counted = results.workshop_results(workshop["id"])["places"]
    sessions = counted["sessions"]
    assert sessions[str(workshop["en"]["id"])] == {"places": 2, "countries": 1}
    assert sessions[str(workshop["es"]["id"])] == {"places": 2, "countries": 2}
    assert counted["combined"] == {"places": 3, "countries": 2}
