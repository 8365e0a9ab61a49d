"""Benchmark of the local MongoDB-wire store (mongo-java-server + H2, started by
deploy/local/mongo/StoreLauncher.java): does an acknowledged write survive `kill -9`, what
does a commit per write cost, and how does the engine behave under scans, concurrent
writers, oversized documents and 100,000 documents of memory.

    .venv/bin/python bench/store_kill.py [--classes .cache/mongo/classes] [--libs .cache/mongo/libs]
                                         [--trials 5] [--threads 4] [--burst 3]

The jars and the compiled launcher are the ones `make up` provisions under .cache/mongo/. The
script starts its own JVMs on free loopback ports in 28100-28199 with data files in a temp
directory (removed at the end), and stops every JVM it started, on errors too. It is a
benchmark that prints figures, not a test: nothing fails on a bad figure.

Sections (each prints as it goes, then a summary table):
  1. kill -9 durability: client threads insert with their own _ids, the JVM is killed mid-burst,
     restarted on the same file, and the acknowledged _ids are looked up. Done with the launcher
     (commit per write), with `sync`, and with the stock H2Backend (H2's background commit
     only) as a control showing that the measurement does catch lost writes.
  2. throughput of single operations on the committing launcher;
  3. scan cost of a filtered, sorted query over 100,000 ~1 KB documents, at two cache sizes,
     and whether an update waits for a running scan;
  4. torn reads of a two-field $set, and find_one_and_update(AFTER) under concurrent $inc
     (on the launcher, and on the stock H2Backend for comparison);
  5. a document pushed past 16 MB;
  6. resident memory of the JVM holding 100,000 ~1 KB documents.
"""
import argparse
import ctypes
import os
import random
import signal
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import bson
from pymongo import MongoClient, ReturnDocument
from pymongo.errors import PyMongoError

REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PORTS = range(28100, 28200)

# The control server: the stock H2Backend over a file, i.e. H2's own background commit (about
# once a second). H2MongoServer's main() would do the same but always binds localhost:27017,
# so this stub (compiled on the fly by `java File.java`) only adds a host and port.
STOCK_SOURCE = """
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;

public class StockH2 {
    public static void main(String[] args) throws Exception {
        MongoServer server = new MongoServer(new H2Backend(args[2]));
        server.bind(args[0], Integer.parseInt(args[1]));
        System.out.println("stock H2Backend listening on " + args[0] + ":" + args[1]);
        Thread.currentThread().join();
    }
}
"""

SUMMARY = []  # (section, figure, value) rows for the final table


def note(section, figure, value):
    """Print a figure now and keep it for the summary table, so a run cut short still shows
    what it measured."""
    SUMMARY.append((section, figure, value))
    print(f"  {figure}: {value}", flush=True)


# --------------------------------------------------------------------------- servers

class Servers:
    """Starts the store JVMs and guarantees they die with this script: every process is
    tracked, stop_all() runs in a finally block and on SIGTERM/SIGINT, and on Linux each JVM
    also gets PR_SET_PDEATHSIG so that even a `kill -9` of this script takes them down."""

    def __init__(self, args, workdir):
        self.args = args
        self.workdir = Path(workdir)
        self.procs = []
        self.used_ports = set()
        self.stock_source = self.workdir / "StockH2.java"
        self.stock_source.write_text(STOCK_SOURCE)

    def free_port(self):
        """A loopback port in 28100-28199 that binds now and that this run has not used yet
        (a port a killed JVM held may still have connections in TIME_WAIT)."""
        for port in PORTS:
            if port in self.used_ports:
                continue
            with socket.socket() as s:
                try:
                    s.bind((HOST, port))
                except OSError:
                    continue
            self.used_ports.add(port)
            return port
        raise RuntimeError("no free port in 28100-28199")

    def start(self, datafile, cache_mb=None, sync=False, stock=False):
        """Start the launcher (or the stock control) on `datafile`, wait until it answers
        `ismaster`, and return (process, port)."""
        port = self.free_port()
        libs = str(Path(self.args.libs) / "*")
        cache_mb = cache_mb or self.args.cache_mb
        if stock:
            cmd = [self.args.java, f"-Xmx{self.args.xmx}", "-cp", libs,
                   str(self.stock_source), HOST, str(port), str(datafile)]
        else:
            cmd = [self.args.java, f"-Xmx{self.args.xmx}", "-cp",
                   f"{self.args.classes}{os.pathsep}{libs}", "StoreLauncher",
                   HOST, str(port), str(datafile), str(cache_mb)] + (["sync"] if sync else [])
        log = open(self.workdir / f"jvm-{port}.log", "wb")
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent)
        log.close()
        proc.port = port
        self.procs.append(proc)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"JVM exited with {proc.returncode}: {self.log_tail(port)}")
            try:
                with client(port, timeout_ms=500) as c:
                    c.admin.command("ismaster")
                return proc, port
            except PyMongoError:
                time.sleep(0.2)
        raise RuntimeError(f"JVM did not answer within 60 s: {self.log_tail(port)}")

    def log_tail(self, port):
        """The end of a JVM's output, for error messages."""
        text = (self.workdir / f"jvm-{port}.log").read_text(errors="replace")
        return text[-1500:].strip()

    @staticmethod
    def kill9(proc):
        """SIGKILL, the crash being measured: no shutdown hook, no final store."""
        proc.send_signal(signal.SIGKILL)
        proc.wait()

    @staticmethod
    def stop(proc):
        """SIGTERM, the orderly stop: the launcher's shutdown hook closes the store."""
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def stop_all(self):
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def _die_with_parent():
    """Runs in the child before exec: ask Linux to SIGKILL it when this script dies."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def client(port, timeout_ms=3000):
    """A client that fails fast (the server is killed on purpose) and never retries a write
    on its own, so 'acknowledged' means exactly 'insert_one returned'."""
    return MongoClient(HOST, port, serverSelectionTimeoutMS=timeout_ms,
                       connectTimeoutMS=timeout_ms, socketTimeoutMS=max(timeout_ms, 60000),
                       retryWrites=False, retryReads=False, maxPoolSize=4)


def rss_mb(pid):
    """Resident set size of a process from /proc/PID/status, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def timed_rate(op, duration):
    """Call op(i) back to back for `duration` seconds; return operations per second."""
    n, t0 = 0, time.perf_counter()
    deadline = t0 + duration
    while time.perf_counter() < deadline:
        op(n)
        n += 1
    return n / (time.perf_counter() - t0)


# --------------------------------------------------------------------------- 1. kill -9

def burst_then_kill(servers, proc, port, threads, burst):
    """N threads insert small documents with their own _ids as fast as they can; after `burst`
    seconds the JVM gets SIGKILL while they are still sending. Returns the acknowledged _ids,
    the insert rate, and how many inserts were on the wire when the signal went."""
    acked = [[] for _ in range(threads)]
    in_flight = [False] * threads
    stop = threading.Event()
    ready = threading.Barrier(threads + 1)

    def writer(k):
        with client(port, timeout_ms=1500) as c:
            coll = c.bench.burst
            coll.find_one({"_id": "warm-up"})  # connect before the clock starts
            ready.wait()
            seq = 0
            try:
                while not stop.is_set():
                    _id = f"{k}-{seq}"
                    in_flight[k] = True
                    coll.insert_one({"_id": _id, "k": k, "seq": seq, "pad": "p" * 100})
                    in_flight[k] = False
                    acked[k].append(_id)
                    seq += 1
            except PyMongoError:
                pass  # the server died under us: that is the point

    workers = [threading.Thread(target=writer, args=(k,), daemon=True) for k in range(threads)]
    for w in workers:
        w.start()
    ready.wait()
    t0 = time.perf_counter()
    time.sleep(burst)
    flying = sum(in_flight)
    servers.kill9(proc)
    elapsed = time.perf_counter() - t0
    stop.set()
    for w in workers:
        w.join(10)
    ids = {i for per_thread in acked for i in per_thread}
    return ids, len(ids) / elapsed, flying


def durability_trial(servers, workdir, label, n, args, sync=False, stock=False):
    """One trial: fresh data file, burst, kill -9, restart on the same file, look up every
    acknowledged _id. 'extra' counts documents whose insert had no reply (in flight at the
    kill) yet were stored: harmless, and a sign the kill landed mid-write."""
    datafile = Path(workdir) / f"{label}-{n}.mv.db"
    proc, port = servers.start(datafile, sync=sync, stock=stock)
    ids, rate, flying = burst_then_kill(servers, proc, port, args.threads, args.burst)
    size_mb = datafile.stat().st_size / 2**20
    try:
        proc, port = servers.start(datafile, stock=stock)
    except RuntimeError as e:
        print(f"  trial {n}: acknowledged {len(ids)}, store did NOT reopen: {e}", flush=True)
        return {"acked": len(ids), "missing": None, "rate": rate}
    with client(port) as c:
        present = {d["_id"] for d in c.bench.burst.find({}, {"_id": 1})}
    servers.stop(proc)
    missing = len(ids - present)
    extra = len(present - ids)
    print(f"  trial {n}: acknowledged {len(ids):6d}  missing {missing:5d}  "
          f"rate {rate:7.0f} inserts/s  (in flight at kill {flying}, stored unacked {extra}, "
          f"file {size_mb:.1f} MB)", flush=True)
    return {"acked": len(ids), "missing": missing, "rate": rate}


def durability(servers, workdir, args):
    """Section 1: the launcher, the launcher with `sync`, and the stock control."""
    runs = [("launcher (commit per write)", "commit", args.trials, {}),
            ("launcher with sync", "sync", args.sync_trials, {"sync": True}),
            ("control: stock H2Backend (background commit)", "stock", args.control_trials,
             {"stock": True})]
    for title, label, trials, kw in runs:
        if trials <= 0:
            continue
        print(f"\n[1] kill -9 mid-burst, {args.threads} writers, {args.burst:g} s: {title}",
              flush=True)
        results = [durability_trial(servers, workdir, label, n + 1, args, **kw)
                   for n in range(trials)]
        lost = [r["missing"] for r in results if r["missing"] is not None]
        reopen_failures = sum(r["missing"] is None for r in results)
        note("1 kill -9", f"{label}: acknowledged lost",
             f"{sum(lost)} of {sum(r['acked'] for r in results)} over {trials} trials "
             f"(trials with loss: {sum(x > 0 for x in lost)}"
             + (f", store failed to reopen: {reopen_failures}" if reopen_failures else "") + ")")
        note("1 kill -9", f"{label}: insert rate, {args.threads} threads",
             f"{statistics.median(r['rate'] for r in results):.0f}/s (median)")


# --------------------------------------------------------------------------- 2. throughput

def throughput(port, args):
    """Section 2: what one round trip costs when every write waits for a commit."""
    print(f"\n[2] throughput on the committing launcher, {args.duration:g} s each", flush=True)
    with client(port) as c:
        coll = c.bench.ops
        coll.insert_one({"_id": "warm", "n": 0})
        note("2 throughput", "insert_one/s, 1 client",
             f"{timed_rate(lambda i: coll.insert_one({'_id': i, 'n': 0, 'pad': 'p' * 100}), args.duration):.0f}")
        count = coll.count_documents({})
        note("2 throughput", "update_one($inc)/s, 1 client",
             f"{timed_rate(lambda i: coll.update_one({'_id': i % (count - 1)}, {'$inc': {'n': 1}}), args.duration):.0f}")
        note("2 throughput", "find_one by _id/s, 1 client",
             f"{timed_rate(lambda i: coll.find_one({'_id': i % (count - 1)}), args.duration):.0f}")

    done = [0] * args.threads
    ready = threading.Barrier(args.threads + 1)

    def updater(k):
        with client(port) as c:
            coll = c.bench.ops
            coll.insert_one({"_id": f"u{k}", "n": 0})  # one document per client: no contention
            ready.wait()
            deadline = time.perf_counter() + args.duration
            while time.perf_counter() < deadline:
                coll.update_one({"_id": f"u{k}"}, {"$inc": {"n": 1}})
                done[k] += 1

    workers = [threading.Thread(target=updater, args=(k,)) for k in range(args.threads)]
    for w in workers:
        w.start()
    ready.wait()
    t0 = time.perf_counter()
    for w in workers:
        w.join()
    note("2 throughput", f"update_one/s, {args.threads} concurrent clients (own doc each)",
         f"{sum(done) / (time.perf_counter() - t0):.0f}")


# --------------------------------------------------------------------------- 3. scans + 6. memory

STATUSES = ["submitted", "accepted", "rejected", "done"]
UNITS = [f"Service {n:02d}" for n in range(50)]
QUERY = {"status": "submitted", "unit": "Service 07"}


def load_documents(port, n):
    """Insert n documents of about 1 KB (random text, so nothing compresses) in batches of
    1,000; returns documents per second. Matches for QUERY: about n / 200."""
    rng = random.Random(7)
    alphabet = string.ascii_letters + "      "
    pads = ["".join(rng.choice(alphabet) for _ in range(880)) for _ in range(500)]
    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    t0 = time.perf_counter()
    with client(port) as c:
        coll = c.bench.ideas
        for first in range(0, n, 1000):
            coll.insert_many([{"_id": i, "status": rng.choice(STATUSES), "unit": rng.choice(UNITS),
                               "created_at": start + timedelta(minutes=rng.randrange(500_000)),
                               "title": f"Idée numéro {i}", "votes": rng.randrange(100),
                               "body": pads[i % 500]}
                              for i in range(first, min(n, first + 1000))])
        sample = len(bson.encode(coll.find_one({"_id": 0})))
    return n / (time.perf_counter() - t0), sample


def scan(coll):
    """The query being measured; returns (seconds, number of results)."""
    t0 = time.perf_counter()
    rows = list(coll.find(QUERY).sort("created_at", -1).limit(20))
    return time.perf_counter() - t0, len(rows)


def scan_costs(port, cache_mb, args):
    """Cold and warm time of the scan, then updates issued while a scan runs."""
    tag = f"cache {cache_mb} MB"
    with client(port) as c:
        coll = c.bench.ideas
        cold, found = scan(coll)
        warm, budget = [], time.perf_counter() + args.scan_budget
        while len(warm) < args.scan_repeats and time.perf_counter() < budget:
            warm.append(scan(coll)[0])
    note("3 scan", f"find(status,unit).sort(created_at,-1).limit(20), {tag}",
         f"cold {cold * 1000:.0f} ms, warm median {statistics.median(warm) * 1000:.0f} ms "
         f"({len(warm)} runs, {found} rows)")
    update_during_scan(port, tag, statistics.median(warm))


def update_during_scan(port, tag, scan_seconds):
    """While one connection scans, four other connections each send one update at the same
    moment: two on the scanned collection, two on another one. An update that lasts until the
    scan ends waited for it. Two causes can show (a jstack during a scan shows both):
    mongo-java-server's collections are `synchronized` (AbstractSynchronizedMongoCollection:
    find, update, findAndModify... hold the collection's monitor), and each connection's
    commands run on one of a few netty event-loop threads (2 per CPU), so a connection whose
    thread is stuck behind that monitor, or is the scanner's, waits whatever it touches."""
    targets = [("ideas", 2), ("ideas", 3), ("side", 1), ("side", 2)]
    clients = [client(port) for _ in range(len(targets) + 1)]
    try:
        for c in clients:
            c.admin.command("ismaster")  # each connected before the clock starts
        for _id in (1, 2):
            clients[0].bench.side.replace_one({"_id": _id}, {"votes": 0}, upsert=True)
        idle = []
        for _ in range(5):
            t0 = time.perf_counter()
            clients[1].bench.ideas.update_one({"_id": 1}, {"$inc": {"votes": 1}})
            idle.append(time.perf_counter() - t0)

        go = threading.Event()
        latency, scan_time = {}, {}

        def updater(c, coll, _id):
            go.wait()
            t0 = time.perf_counter()
            c.bench[coll].update_one({"_id": _id}, {"$inc": {"votes": 1}})
            latency[(coll, _id)] = time.perf_counter() - t0

        workers = [threading.Thread(target=updater, args=(c, coll, _id))
                   for c, (coll, _id) in zip(clients[1:], targets)]
        for w in workers:
            w.start()
        scanner = threading.Thread(
            target=lambda: scan_time.update(s=scan(clients[0].bench.ideas)[0]))
        t_scan = time.perf_counter()
        scanner.start()
        time.sleep(min(scan_seconds * 0.25, 1.0))
        issued_at = time.perf_counter() - t_scan
        go.set()
        for w in workers + [scanner]:
            w.join()
    finally:
        for c in clients:
            c.close()

    def ms(collection):
        return ", ".join(f"{latency[(name, _id)] * 1000:.0f}" for name, _id in targets
                         if name == collection)

    note("3 scan", f"update_one during a scan, {tag}",
         f"same collection {ms('ideas')} ms, other collection {ms('side')} ms (idle "
         f"{statistics.median(idle) * 1000:.1f} ms; sent {issued_at * 1000:.0f} ms into a "
         f"{scan_time['s'] * 1000:.0f} ms scan)")


def scans_and_memory(servers, workdir, args):
    """Sections 3 and 6 share one data set: load it under the default cache, measure RSS and
    scans, stop the JVM cleanly, reopen the same file with the big cache and measure again."""
    print(f"\n[3/6] {args.docs} documents of ~1 KB, scans, memory (-Xmx{args.xmx})", flush=True)
    datafile = Path(workdir) / "scan.mv.db"
    proc, port = servers.start(datafile, cache_mb=args.cache_mb)
    rss_start = rss_mb(proc.pid)
    rate, size = load_documents(port, args.docs)
    note("3 scan", "load with insert_many(1000)", f"{rate:.0f} docs/s, {size} bytes each")
    note("6 memory", f"VmRSS after loading, cache {args.cache_mb} MB",
         f"{rss_mb(proc.pid):.0f} MB (at start {rss_start:.0f} MB; "
         f"file {datafile.stat().st_size / 2**20:.0f} MB)")
    scan_costs(port, args.cache_mb, args)
    note("6 memory", f"VmRSS after scans, cache {args.cache_mb} MB", f"{rss_mb(proc.pid):.0f} MB")
    servers.stop(proc)
    proc, port = servers.start(datafile, cache_mb=args.big_cache_mb)
    scan_costs(port, args.big_cache_mb, args)
    note("6 memory", f"VmRSS after scans, cache {args.big_cache_mb} MB",
         f"{rss_mb(proc.pid):.0f} MB")
    servers.stop(proc)


# --------------------------------------------------------------------------- 4. torn reads

def torn_reads(port, args):
    """One writer sets a and b to the same value in one update; readers check they never see
    them differ. A non-zero count means a reader can observe half of a single update."""
    with client(port) as c:
        c.bench.torn.replace_one({"_id": 1}, {"_id": 1, "a": 0, "b": 0}, upsert=True)
    stop = threading.Event()
    reads, torn = [0], [0]
    lock = threading.Lock()

    def writer():
        with client(port) as c:
            i = 0
            while not stop.is_set():
                i += 1
                c.bench.torn.update_one({"_id": 1}, {"$set": {"a": i, "b": i}})

    def reader():
        with client(port) as c:
            r = t = 0
            while not stop.is_set():
                doc = c.bench.torn.find_one({"_id": 1})
                r += 1
                t += doc["a"] != doc["b"]
            with lock:
                reads[0] += r
                torn[0] += t

    threads = [threading.Thread(target=writer)] + [
        threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    time.sleep(args.duration)
    stop.set()
    for t in threads:
        t.join()
    note("4 torn reads", "find_one seeing a != b (1 writer, 3 readers)",
         f"{torn[0]} of {reads[0]} reads")


def find_and_modify_after(port, args, label="launcher"):
    """Writers $inc one counter with find_one_and_update(AFTER). Each call should return the
    value its own increment produced: all distinct, and together exactly 1..final. A repeated
    value means a reply included another writer's increment (and some value is then absent);
    final != number of calls means an increment was lost."""
    with client(port) as c:
        c.bench.counter.replace_one({"_id": 1}, {"_id": 1, "n": 0}, upsert=True)
    returned = [[] for _ in range(args.threads)]
    ready = threading.Barrier(args.threads + 1)

    def writer(k):
        with client(port) as c:
            coll = c.bench.counter
            ready.wait()
            deadline = time.perf_counter() + args.duration
            while time.perf_counter() < deadline:
                doc = coll.find_one_and_update({"_id": 1}, {"$inc": {"n": 1}},
                                               return_document=ReturnDocument.AFTER)
                returned[k].append(doc["n"])

    workers = [threading.Thread(target=writer, args=(k,)) for k in range(args.threads)]
    for w in workers:
        w.start()
    ready.wait()
    for w in workers:
        w.join()
    values = [v for per in returned for v in per]
    with client(port) as c:
        final = c.bench.counter.find_one({"_id": 1})["n"]
    distinct = set(values)
    absent = len(set(range(1, final + 1)) - distinct)
    non_increasing = sum(b <= a for per in returned for a, b in zip(per, per[1:]))
    note("4 torn reads", f"find_one_and_update(AFTER), {args.threads} $inc writers, {label}",
         f"{len(values)} calls, final {final}, repeated values {len(values) - len(distinct)}, "
         f"values never returned {absent}, per-writer non-increasing {non_increasing}")


# --------------------------------------------------------------------------- 5. 16 MB

def oversized_document(port, args):
    """$push 1 MB strings into one document until the server refuses or it is past 16 MB (plus
    a few); MongoDB refuses any update that makes a document larger than 16 MB."""
    chunk = "x" * 2**20
    with client(port) as c:
        coll = c.bench.big
        coll.replace_one({"_id": 1}, {"_id": 1, "items": []}, upsert=True)
        outcome = "accepted every push"
        pushes = 0
        for pushes in range(1, args.max_pushes + 1):
            try:
                coll.update_one({"_id": 1}, {"$push": {"items": chunk}})
            except PyMongoError as e:
                outcome = f"refused push {pushes}: {type(e).__name__}: {str(e)[:120]}"
                break
        try:
            stored = len(bson.encode(coll.find_one({"_id": 1})))
            stored = f"{stored / 2**20:.1f} MB"
        except PyMongoError as e:
            stored = f"unreadable ({type(e).__name__}: {str(e)[:80]})"
    note("5 16 MB", f"$push 1 MB strings, up to {args.max_pushes}",
         f"{outcome}; stored document {stored}")


# --------------------------------------------------------------------------- main

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--classes", default=str(REPO / ".cache/mongo/classes"),
                        help="directory holding the compiled StoreLauncher")
    parser.add_argument("--libs", default=str(REPO / ".cache/mongo/libs"),
                        help="directory of mongo-java-server, H2, netty and slf4j jars")
    parser.add_argument("--java", default="java")
    parser.add_argument("--xmx", default="1g")
    parser.add_argument("--cache-mb", type=int, default=64, help="launcher cache (default 64)")
    parser.add_argument("--big-cache-mb", type=int, default=512)
    parser.add_argument("--trials", type=int, default=5, help="kill -9 trials, launcher")
    parser.add_argument("--sync-trials", type=int, default=2)
    parser.add_argument("--control-trials", type=int, default=3,
                        help="kill -9 trials on the stock H2Backend (0: skip the control)")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--burst", type=float, default=3.0, help="seconds before kill -9")
    parser.add_argument("--duration", type=float, default=3.0,
                        help="seconds per throughput / concurrency measurement")
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--scan-repeats", type=int, default=5)
    parser.add_argument("--scan-budget", type=float, default=20.0,
                        help="at most this many seconds of warm scans per cache size")
    parser.add_argument("--max-pushes", type=int, default=20)
    args = parser.parse_args()

    for what, path in (("launcher classes", Path(args.classes) / "StoreLauncher.class"),
                       ("jars", Path(args.libs))):
        if not path.exists():
            sys.exit(f"{what} not found at {path} (run `make up`, or pass --classes/--libs)")

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="store_kill-") as workdir:
        servers = Servers(args, workdir)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        try:
            durability(servers, workdir, args)

            print("\n[2/4/5] one fresh launcher", flush=True)
            proc, port = servers.start(Path(workdir) / "ops.mv.db")
            throughput(port, args)
            print("\n[4] torn reads", flush=True)
            torn_reads(port, args)
            find_and_modify_after(port, args)
            print("\n[5] a document past 16 MB", flush=True)
            oversized_document(port, args)
            servers.stop(proc)
            # Same check on the stock H2Backend: tells the engine's share from the launcher's
            # (whose reply waits for a commit after the collection lock is released).
            print("\n[4] find_one_and_update(AFTER) on the stock H2Backend, for comparison",
                  flush=True)
            proc, port = servers.start(Path(workdir) / "fam-stock.mv.db", stock=True)
            find_and_modify_after(port, args, label="stock H2Backend")
            servers.stop(proc)

            scans_and_memory(servers, workdir, args)
        finally:
            servers.stop_all()
            print(f"\nSummary ({time.monotonic() - started:.0f} s; mongo-java-server H2 via "
                  f"{args.classes}, -Xmx{args.xmx})")
            width = max((len(f) for _, f, _ in SUMMARY), default=10)
            for section, figure, value in sorted(SUMMARY, key=lambda row: row[0]):
                print(f"  {section:<13} {figure:<{width}}  {value}")


if __name__ == "__main__":
    main()
