"""Batches (batching.py) with real threads: what arrives while the leader gathers shares its
batch; what arrives after the batch was taken leads the next one."""

import threading
import time

from facilitation.batching import Batches


def recording(gather):
    """Batches whose handler notes each batch's values and answers each value doubled."""
    seen = []

    def handle(entries):
        seen.append([entry.value for entry in entries])
        for entry in entries:
            entry.result = entry.value * 2

    return Batches(handle, time.sleep, 64, gather), seen


def submit_twice(batches, apart):
    """Submit 1, then 2 from another thread `apart` seconds later; both results."""
    results = {}
    first = threading.Thread(target=lambda: results.setdefault(1, batches.submit(1)))
    first.start()
    time.sleep(apart)
    results[2] = batches.submit(2)
    first.join()
    return results


def test_a_call_arriving_while_the_leader_gathers_shares_its_batch():
    batches, seen = recording(gather=0.3)
    assert submit_twice(batches, apart=0.05) == {1: 2, 2: 4}
    assert seen == [[1, 2]]


def test_without_a_gather_wait_a_later_call_leads_a_batch_of_its_own():
    batches, seen = recording(gather=0.0)
    assert submit_twice(batches, apart=0.05) == {1: 2, 2: 4}
    assert seen == [[1], [2]]
