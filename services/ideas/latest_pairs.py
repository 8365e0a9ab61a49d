"""The possible duplicates as one ideas process knows them: the pairs it computed last, and the
version of the ideas' texts and statuses they were computed from (catalogue.texts_version).

Why not on the request: computing them takes seconds (15 s at 10,000 ideas on a loaded
machine, bench/duplicates.py), longer than a page waits for the API. So a request never
computes. It answers with the last pairs; when the ideas have changed since, it starts one
computation in a background thread of this process, and says so (`pending`). Rules:
- one computation at a time in a process: a request that finds one running starts none;
- one start every `every` seconds at most, however fast ideas arrive: a computation asked
  for sooner waits in its thread until then (still `pending`);
- with no pairs yet at all, a request waits for the first computation, `first_wait` seconds
  at most, then answers with none, `pending`.
Pairs served from an older computation are still checked against the current ideas by the
caller (store.possible_duplicates): a pair whose idea has since closed, or that a moderator
dismissed, is left out, so nothing stale can be merged. What an older computation cannot tell
is a pair the newest ideas or edits make: that waits for the next one.
"""
import logging
import threading
import time

from shared.events import now_iso
from services.ideas import duplicates

log = logging.getLogger(__name__)

EVERY = 30.0
FIRST_WAIT = 3.0


class LatestPairs:
    """`catalogue`: `sync()`, `texts_version`, and `open_ideas()` -> (version, OpenIdeas)."""

    def __init__(self, catalogue, every=EVERY, first_wait=FIRST_WAIT,
                 compute=duplicates.possible_duplicates, now=now_iso, clock=time.monotonic,
                 sleep=time.sleep):
        self.catalogue, self.every, self.first_wait = catalogue, every, first_wait
        self.compute, self.now, self.clock, self.sleep = compute, now, clock, sleep
        self._lock = threading.Lock()
        self._pairs, self._version, self._computed_at = [], None, None
        self._started = None  # clock() when the last computation started
        self._thread = None  # the computation running or waiting to, if any

    def latest(self):
        """(pairs, computed_at, pending): the last pairs computed, as (score, a, b) best first;
        when they were (the ideas as they stood then; None before the first); and whether a
        newer computation is running or about to."""
        self.catalogue.sync()
        with self._lock:
            self._refresh_if_stale()
            first = self._thread if self._computed_at is None else None
        if first is not None:
            first.join(self.first_wait)
        with self._lock:
            return self._pairs, self._computed_at, self._thread is not None

    def warm_up(self):
        """Start computing now, if the pairs are stale (a process that just read the ideas)."""
        self.catalogue.sync()
        with self._lock:
            self._refresh_if_stale()

    def _refresh_if_stale(self):
        if self._thread is not None or self._version == self.catalogue.texts_version:
            return
        wait = 0.0 if self._started is None else max(0.0, self._started + self.every
                                                     - self.clock())
        self._thread = threading.Thread(target=self._compute_after, args=(wait,),
                                        name="possible-duplicates", daemon=True)
        self._thread.start()

    def _compute_after(self, wait):
        try:
            if wait:
                self.sleep(wait)
            with self._lock:
                self._started = self.clock()
            at = self.now()
            version, ideas = self.catalogue.open_ideas()
            pairs = self.compute(ideas)
            with self._lock:
                self._pairs, self._version, self._computed_at = pairs, version, at
        except Exception:  # the last pairs stay; the next request after `every` tries again
            log.exception("possible duplicates: the computation failed")
        finally:
            with self._lock:
                self._thread = None
