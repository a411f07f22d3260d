from conftest import live_client, participant_in


def test_participant_posts_and_facilitator_sees_results(app, workshop, facilitator_client):
    _, alice = participant_in(app, workshop["en"]["code"])
    ack = alice.emit(
        "initiative:post",
        {"client_id": "c1", "title": "Bike lanes", "axis": "mobility", "sdgs": [11]},
        namespace="/live",
        callback=True,
    )
    assert ack["ok"] and ack["created"]
    fac = live_client(app, facilitator_client)
    watch = fac.emit(
        "workshop:watch", {"workshop_id": workshop["id"]}, namespace="/live", callback=True
    )
    assert watch["results"]["combined"]["matrix"]["mobility"]["11"] == 1
