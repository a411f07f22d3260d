"""Suggested duplicates over /live: `merge:suggestions`, `merge:dismiss` broadcast to every
facilitator of the workshop, `merge:restore`, accepting with `item:merge`, and who may ask."""

from conftest import live_client, make_facilitator, sign_in
from test_sockets_dynamic_two import Peer, add_item, assert_error, host, ok

from facilitation.extensions import db
from facilitation.models import Item, MergeDismissal, Translation
from facilitation.services import accounts
from facilitation.unit_of_work import work

__all__ = ["host"]  # a fixture


def suggested(host, workshop):
    ack = ok(host.emit("merge:suggestions", {"workshop_id": workshop["id"]}))
    return [tuple(s["item_ids"]) for s in ack["suggestions"]], ack["suggestions"]


def co_facilitator(app, workshop):
    """A second facilitator of the workshop, connected and watching it."""
    make_facilitator(app, "bo@example.org", "Bo")
    with app.app_context(), work():
        accounts.invite("bo@example.org", "Bo", workshop["id"])  # joins the workshop
    peer = Peer(live_client(app, sign_in(app.test_client(), "bo@example.org")))
    ok(peer.emit("workshop:watch", {"workshop_id": workshop["id"]}))
    peer.forget()
    return peer


def test_suggestions_rank_known_pairs_and_leave_out_unrelated_items(app, workshop, host):
    funding = add_item(host, workshop["en"], "a", "Lack of funding")
    funds = add_item(host, workshop["en"], "b", "Lack of funds for pilots")
    falta = add_item(host, workshop["es"], "c", "Falta de financiación")
    falta2 = add_item(host, workshop["es"], "d", "falta de financiamiento")
    tape = add_item(host, workshop["en"], "e", "Too much red tape in procurement")
    enabler = add_item(host, workshop["en"], "f", "Lack of funding", kind="enabler")
    pairs, details = suggested(host, workshop)
    assert (funding, funds) in pairs and (falta, falta2) in pairs
    assert all(tape not in pair and enabler not in pair for pair in pairs)
    scores = [s["score"] for s in details]
    assert scores == sorted(scores, reverse=True) and all(0 < s <= 1 for s in scores)
    first = details[pairs.index((funding, funds))]
    assert first["reasons"][0] == {"code": "words", "terms": ["Lack", "funding"]}


def test_dismissing_reaches_every_facilitator_and_can_be_taken_back(app, workshop, host):
    bo = co_facilitator(app, workshop)
    funding = add_item(host, workshop["en"], "a", "Lack of funding")
    funds = add_item(host, workshop["en"], "b", "Lack of funds for pilots")
    assert suggested(host, workshop)[0] == [(funding, funds)]
    host.forget(), bo.forget()
    pair = {"workshop_id": workshop["id"], "item_ids": [funds, funding]}  # any order
    ack = ok(host.emit("merge:dismiss", pair))
    assert ack["item_ids"] == [funding, funds] and ack["dismissed"] is True
    for peer in (host, bo):
        assert peer.got("merge:dismissed") == [{"item_ids": [funding, funds], "dismissed": True}]
    with app.app_context():
        stored = db.session.query(MergeDismissal).one()
        assert (stored.item_a_id, stored.item_b_id) == (funding, funds)
    assert suggested(bo, workshop)[0] == []
    listed = ok(bo.emit("merge:suggestions", {"workshop_id": workshop["id"]}))["dismissed"]
    assert listed == [[funding, funds]]
    ok(host.emit("merge:dismiss", pair))  # twice changes nothing
    with app.app_context():
        assert db.session.query(MergeDismissal).count() == 1
    host.forget(), bo.forget()
    ok(bo.emit("merge:restore", pair))
    for peer in (host, bo):
        assert peer.got("merge:dismissed") == [{"item_ids": [funding, funds], "dismissed": False}]
    assert suggested(host, workshop)[0] == [(funding, funds)]


def test_accepting_is_item_merge_and_unmerging_brings_the_suggestion_back(app, workshop, host):
    funding = add_item(host, workshop["en"], "a", "Lack of funding")
    funds = add_item(host, workshop["en"], "b", "Lack of funds for pilots")
    ok(host.emit("item:merge", {"workshop_id": workshop["id"], "item_ids": [funding, funds]}))
    assert suggested(host, workshop)[0] == []
    ok(host.emit("item:unmerge", {"item_id": funding}))
    assert suggested(host, workshop)[0] == [(funding, funds)]


def test_hidden_items_are_not_suggested(app, workshop, host):
    funding = add_item(host, workshop["en"], "a", "Lack of funding")
    add_item(host, workshop["en"], "b", "Lack of funds for pilots")
    ok(host.emit("item:set_hidden", {"item_id": funding, "hidden": True}))
    assert suggested(host, workshop)[0] == []


def test_across_languages_stored_translations_are_compared(app, workshop, host):
    english = add_item(host, workshop["en"], "a", "Lack of money for pilot schemes")
    spanish = add_item(host, workshop["es"], "b", "No hay dinero para pruebas")
    add_item(host, workshop["es"], "c", "Los datos abiertos no se publican")
    assert suggested(host, workshop)[0] == []  # nothing in common without a translation
    # these rows stand for the translation engine's output, as it stores it
    with app.app_context(), work():
        for item_id, source, language, text in (
            (spanish, "es", "en", "There is no money for pilot schemes"),
            (english, "en", "es", "Falta de dinero para esquemas piloto"),
        ):
            db.session.add(
                Translation(
                    workshop_id=workshop["id"],
                    subject="item",
                    subject_id=item_id,
                    field="text",
                    source_language=source,
                    language=language,
                    text=text,
                    source_digest="0" * 64,
                    origin="machine",
                )
            )
    pairs, details = suggested(host, workshop)
    assert pairs == [(english, spanish)]
    assert details[0]["reasons"][0]["code"] == "translation"


def test_a_pair_must_be_two_items_of_the_workshop(app, workshop, host):
    funding = add_item(host, workshop["en"], "a", "Lack of funding")
    base = {"workshop_id": workshop["id"]}
    assert_error(host.emit("merge:dismiss", {**base, "item_ids": [funding]}), "invalid")
    assert_error(host.emit("merge:dismiss", {**base, "item_ids": [funding, funding]}), "invalid")
    assert_error(host.emit("merge:dismiss", {**base, "item_ids": "1,2"}), "invalid")
    assert_error(host.emit("merge:dismiss", {**base, "item_ids": [funding, 99999]}), "not_found")
    assert_error(host.emit("merge:restore", {**base, "item_ids": [funding, 99999]}), "not_found")
    with app.app_context():
        assert db.session.query(MergeDismissal).count() == 0


def test_another_workshops_facilitator_and_participants_may_not(app, workshop, host):
    funding = add_item(host, workshop["en"], "a", "Lack of funding")
    funds = add_item(host, workshop["en"], "b", "Lack of funds for pilots")
    make_facilitator(app, "eve@example.org", "Eve")
    eve = Peer(live_client(app, sign_in(app.test_client(), "eve@example.org")))
    pair = {"workshop_id": workshop["id"], "item_ids": [funding, funds]}
    assert_error(eve.emit("merge:suggestions", {"workshop_id": workshop["id"]}), "not_found")
    assert_error(eve.emit("merge:dismiss", pair), "not_found")
    with app.app_context():
        assert db.session.query(MergeDismissal).count() == 0
        assert db.session.query(Item).count() == 2
