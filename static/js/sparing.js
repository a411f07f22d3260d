/* A value told to screen readers sparingly: `say(value)` at most once per `every`
   milliseconds, the latest value once the pause is over, and nothing when it is back to
   what was said last. `timers` (setTimeout, clearTimeout, now) stand in for the browser's
   in tests. Used by run_counters.js for the joined count. */
export class Sparing {
  constructor(say, every, timers) {
    this.say = say;
    this.every = every;
    this.timers = timers || { setTimeout: (f, ms) => window.setTimeout(f, ms), clearTimeout: (t) => window.clearTimeout(t), now: () => Date.now() };
    this.said = null; // the value said last (or the one to start from)
    this.value = null;
    this.at = -Infinity; // when it was said
    this.timer = null;
  }

  /* The value the page opened with (or found again after a reconnect): not news. */
  start(value) {
    if (this.timer) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.said = this.value = value;
  }

  update(value) {
    if (this.said === null) return this.start(value);
    this.value = value;
    if (this.timer || value === this.said) return;
    const wait = this.at + this.every - this.timers.now();
    if (wait <= 0) this.flush();
    else this.timer = this.timers.setTimeout(() => this.flush(), wait);
  }

  flush() {
    this.timer = null;
    if (this.value === this.said) return;
    this.said = this.value;
    this.at = this.timers.now();
    this.say(this.value);
  }
}
