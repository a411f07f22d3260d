/* Stand-ins for what the browser gives the feed and the outbox: a Socket.IO socket whose
   requests the test answers, localStorage, and timers on a clock the test moves. */

export class FakeTimers {
  constructor() {
    this.now = 0;
    this.queue = [];
  }

  setTimeout(fn, ms) {
    const timer = { at: this.now + ms, fn };
    this.queue.push(timer);
    return timer;
  }

  clearTimeout(timer) {
    this.queue = this.queue.filter((t) => t !== timer);
  }

  /* The delays waiting, shortest first. */
  delays() {
    return this.queue.map((t) => t.at - this.now).sort((a, b) => a - b);
  }

  /* Move the clock by `ms`, running every timer that falls due, in order. */
  async advance(ms) {
    const end = this.now + ms;
    for (;;) {
      const due = this.queue.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.queue = this.queue.filter((t) => t !== due);
      this.now = due.at;
      due.fn();
      await settle();
    }
    this.now = end;
  }
}

/* Let every pending promise callback run. */
export function settle() {
  return new Promise((resolve) => setImmediate(resolve));
}

export class FakeStorage {
  constructor() {
    this.data = new Map();
  }

  getItem(key) {
    return this.data.has(key) ? this.data.get(key) : null;
  }

  setItem(key, value) {
    this.data.set(key, String(value));
  }
}

/* A socket: `sent` holds each request not answered yet ({event, payload, answer(ack)});
   a request not answered within its timeout rejects, as socket.timeout(ms) does. */
export class FakeSocket {
  constructor(timers) {
    this.timers = timers;
    this.connected = false;
    this.handlers = new Map();
    this.sent = [];
    this.log = []; // every request ever sent, in order
    this.mostInFlight = 0;
  }

  on(event, handler) {
    if (!this.handlers.has(event)) this.handlers.set(event, []);
    this.handlers.get(event).push(handler);
  }

  fire(event, ...args) {
    for (const handler of this.handlers.get(event) || []) handler(...args);
  }

  timeout(ms) {
    return {
      emitWithAck: (event, payload) => new Promise((resolve, reject) => {
        const request = { event, payload, settled: false };
        const finish = (fn, value) => {
          if (request.settled) return;
          request.settled = true;
          this.timers.clearTimeout(request.timer);
          this.sent = this.sent.filter((r) => r !== request);
          fn(value);
        };
        request.answer = (ack) => finish(resolve, ack);
        request.timer = this.timers.setTimeout(() => finish(reject, new Error("timeout")), ms);
        this.sent.push(request);
        this.log.push(request);
        this.mostInFlight = Math.max(this.mostInFlight, this.sent.length);
      }),
    };
  }

  connect() {
    this.connected = true;
    this.fire("connect");
  }

  /* The connection drops: requests in flight get no answer (they time out later). */
  disconnect() {
    this.connected = false;
    this.sent = [];
    this.fire("disconnect");
  }
}
