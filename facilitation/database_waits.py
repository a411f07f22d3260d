"""How a process under eventlet waits for PostgreSQL: a moment in place, then cooperatively.

psycopg sends a statement, then waits for the answer through `psycopg.waiting.wait`. Its
default, in C, stops the whole process until PostgreSQL answers. eventlet's green `select`
(psycopg's `wait_select`) lets the other green threads run meanwhile, but then every
statement costs a turn of the event loop: a batch of votes (group_commit.py) gets each
answer back only after every handler that became ready in between has run, four
statements per vote, and on a busy process it falls behind (docs/performance.md, "Waiting
for PostgreSQL"). Most answers come within a fraction of a millisecond, so the process
first waits up to BRIEF seconds in place (the operating system's `poll`); only an answer
that takes longer (a row locked by another transaction, a commit's flush to disk) is
waited for cooperatively.

`install` is called by app.py in eventlet mode, unless PSYCOPG_WAIT_FUNC names one of
psycopg's own wait functions.
"""

from psycopg import waiting

BRIEF = 0.002  # seconds an answer is waited for in place


def brief_then(green_wait, os_select, brief=BRIEF):
    """A psycopg wait function: each state of the generator is first polled in place for
    `brief` seconds with `os_select` (the unpatched `select` module); the first one not
    ready by then, and the rest of that operation, go to `green_wait` (same signature)."""
    brief_ms = brief * 1000.0
    masks = {
        waiting.WAIT_R: os_select.POLLIN,
        waiting.WAIT_W: os_select.POLLOUT,
        waiting.WAIT_RW: os_select.POLLIN | os_select.POLLOUT,
    }

    def wait(gen, fileno, interval=0.1, timeout=None):
        try:
            state = next(gen)
            while True:
                poll = os_select.poll()
                poll.register(fileno, masks[state])
                events = poll.poll(brief_ms)
                ready = _ready(events[0][1], os_select) if events else 0
                if not ready:  # slow, or the socket in trouble: psycopg's own wait sees to it
                    return green_wait(_resumed(state, gen), fileno, interval, timeout)
                state = gen.send(ready)
        except StopIteration as done:
            return done.value

    return wait


def _ready(event, os_select):
    return (waiting.READY_R if event & os_select.POLLIN else 0) | (
        waiting.READY_W if event & os_select.POLLOUT else 0
    )


def _resumed(state, gen):
    """`gen` as a fresh generator whose first state is `state` (already taken from it)."""
    while True:
        ready = yield state
        try:
            state = gen.send(ready)
        except StopIteration as done:
            return done.value


def install():
    """Make psycopg wait a moment in place, then through eventlet's green `select`."""
    from eventlet.patcher import original

    waiting.wait = brief_then(waiting.wait_select, original("select"))
