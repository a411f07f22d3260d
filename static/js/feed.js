/* The live feed of a page, shared by the participant page, the dashboard and the projector.
   A session's state arrives as a snapshot, then as deltas numbered by the session's seq:
   the Feed applies each delta once and in order, holds one that arrives ahead of a missing
   one, and fetches a snapshot when something is missing. The Outbox keeps the page's own
   changes until the server acknowledges them. No DOM here: tests/js runs it under node. */

const ACK_TIMEOUT_MS = 10000;

/* Emit with an acknowledgement; resolves with the ack, rejects on timeout. */
export function request(socket, event, payload, timeout = ACK_TIMEOUT_MS) {
  return socket.timeout(timeout).emitWithAck(event, payload);
}

export class Feed {
  /* `fetch(sessionId, sinceSeq)` resolves with a snapshot ack (`since` null asks for a
     full one); `onSnapshot(snapshot)` draws an accepted snapshot; `sessionOf(message)`
     names the session of a snapshot or delta (its `session_id` unless told). */
  constructor(socket, { fetch, onSnapshot, sessionOf = (message) => message.session_id }) {
    this.socket = socket;
    this.fetch = fetch;
    this.onSnapshot = onSnapshot;
    this.sessionOf = sessionOf;
    this.seqs = new Map(); // session id -> seq of the last applied snapshot or delta
    this.held = new Map(); // session id -> Map seq -> [message, handler], deltas ahead of a gap
    this.fetching = new Set();
  }

  /* Follow a session before its snapshot arrives: its first delta then asks for one. */
  track(id) {
    if (!this.seqs.has(id)) this.seqs.set(id, -1);
  }

  seq(id) {
    return this.seqs.has(id) ? this.seqs.get(id) : -1;
  }

  /* Draw a snapshot unless it says `unchanged` or is older than what is drawn (`replace`
     draws it whatever its seq); then the held deltas that follow it. True when drawn. */
  accept(snapshot, replace = false) {
    const id = this.sessionOf(snapshot);
    if (snapshot.unchanged || (!replace && this.seqs.has(id) && snapshot.seq < this.seqs.get(id))) return false;
    this.seqs.set(id, snapshot.seq);
    this.onSnapshot(snapshot);
    this.release(id);
    return true;
  }

  /* Call `handler(message)` for each `event` delta of a followed session, in seq order. */
  on(event, handler) {
    this.socket.on(event, (message) => this.receive(message, handler));
  }

  receive(message, handler) {
    const id = this.sessionOf(message);
    const seq = this.seqs.get(id);
    if (seq === undefined || message.seq <= seq) return; // not followed, or applied already
    if (message.seq === seq + 1) {
      this.seqs.set(id, message.seq);
      handler(message);
      this.release(id);
      return;
    }
    if (!this.held.has(id)) this.held.set(id, new Map());
    this.held.get(id).set(message.seq, [message, handler]);
    this.resync(id);
  }

  /* Apply the held deltas that now come next; forget those a snapshot covered. */
  release(id) {
    const held = this.held.get(id);
    if (!held) return;
    for (const seq of [...held.keys()]) if (seq <= this.seqs.get(id)) held.delete(seq);
    let next;
    while ((next = held.get(this.seqs.get(id) + 1))) {
      held.delete(this.seqs.get(id) + 1);
      this.seqs.set(id, next[0].seq);
      next[1](next[0]);
    }
    if (!held.size) this.held.delete(id);
  }

  /* Fetch the session's changes since what is drawn (everything when `full`); one request
     at a time per session. When deltas are still missing after it, ask again. */
  async resync(id, full = false) {
    if (this.fetching.has(id)) return;
    this.fetching.add(id);
    let drawn = false;
    try {
      const ack = await this.fetch(id, full ? null : this.seq(id));
      if (ack && ack.ok) drawn = this.accept(ack);
    } catch (e) {
      /* offline or timed out: the next connect or gap asks again */
    } finally {
      this.fetching.delete(id);
    }
    if (drawn && this.held.has(id)) this.resync(id);
  }
}

export const OUTBOX_IN_FLIGHT = 8; // a polling POST carries at most 16 packets
const BACKOFF_MAX_MS = 8000;
/* The answers that mean "not now": the change is kept and sent again after a pause. Any
   other refusal (`bad_request`, `invalid`, `not_found`, `phase_closed`, ...) is final: the
   same request would be refused again, so it leaves the outbox and the page shows it. */
export const RETRIED = new Set(["busy", "rate_limited", "server_error"]);

/* Changes kept in storage (localStorage) until the server acknowledges them, sent again
   with the same ids (client ids make the server apply them once) after every reconnect
   and after a "not now" (RETRIED) or no answer; any other refusal ends the change.
   At most `limit` are in flight at once; the others wait for acknowledgements.
   `done(item, ack)` runs once per change the server answered (accepted or refused);
   `pending(count)` after every change of the queue. */
export class Outbox {
  constructor(socket, { key, done, pending = () => {}, newId, storage = globalThis.localStorage,
    limit = OUTBOX_IN_FLIGHT, timeout = ACK_TIMEOUT_MS, timers = globalThis, random = Math.random }) {
    Object.assign(this, { socket, key, done, pending, newId, storage, limit, timeout, timers, random });
    this.inflight = new Set();
    this.generation = 0; // one per connection: answers to an earlier one change nothing in flight
    this.backoff = 0; // pauses in a row
    this.paused = null; // a timer while the whole outbox waits before trying again
    this.probing = false; // after a pause: one change at a time until one is accepted
    socket.on("connect", () => {
      this.pump();
      this.pending(this.items().length);
    });
    socket.on("disconnect", () => {
      this.generation += 1;
      this.inflight = new Set();
    });
  }

  items() {
    try {
      return JSON.parse(this.storage.getItem(this.key)) || [];
    } catch (e) {
      return [];
    }
  }

  save(items) {
    this.storage.setItem(this.key, JSON.stringify(items));
    this.pending(items.length);
  }

  add(event, payload) {
    const item = { id: this.newId(), event, payload };
    this.save([...this.items(), item]);
    this.pump();
    return item;
  }

  /* Send the oldest waiting changes, as many as the window allows. */
  pump() {
    if (!this.socket.connected || this.paused) return;
    const room = this.probing ? 1 : this.limit;
    for (const item of this.items()) {
      if (this.inflight.size >= room) return;
      if (!this.inflight.has(item.id)) this.send(item);
    }
  }

  async send(item) {
    const { generation, inflight } = this;
    inflight.add(item.id);
    let ack = null;
    try {
      ack = await request(this.socket, item.event, item.payload, this.timeout);
    } catch (e) {
      /* no answer in time */
    }
    inflight.delete(item.id);
    if (!ack || RETRIED.has(ack.error && ack.error.code)) {
      if (generation === this.generation) this.pause();
      return;
    }
    if (!this.items().some((i) => i.id === item.id)) return; // answered already
    this.backoff = 0;
    this.probing = false;
    this.save(this.items().filter((i) => i.id !== item.id));
    this.done(item, ack);
    this.pump();
  }

  /* No answer, or the server said "not now" (RETRIED): hold the whole outbox for a growing
     delay (1, 2, 4, then 8 s at most), each time between half and all of it at random, so
     that the phones a busy server turned away do not all come back at the same instant;
     then try the oldest change alone, and the others once one is accepted. */
  pause() {
    if (this.paused) return; // another answer of the same wave
    const ceiling = Math.min(BACKOFF_MAX_MS, 1000 * 2 ** this.backoff);
    this.backoff += 1;
    this.paused = this.timers.setTimeout(() => {
      this.paused = null;
      this.probing = true;
      this.pump();
    }, ceiling / 2 + this.random() * (ceiling / 2));
  }
}
