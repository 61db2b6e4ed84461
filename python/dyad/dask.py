"""Backfills on a Dask cluster: code a directory of JSONL(.zst) shards, one task per shard.

    python3 -m dyad.dask SHARD_DIR --out OUT_DIR [--workers N | --scheduler tcp://host:8786]
                         [--store postgresql://...] [--threads T] [--retries R]
                         [--model M] [--dict D] [--date YYYY-MM-DD]

Shards: the files under SHARD_DIR (walked recursively in sorted order, hidden entries skipped)
named *.jsonl, *.ndjson or *.json, optionally compressed (.zst, .gz). Each shard is read by
dyad's document reader and coded by the library on a worker (the same calls as `dyad code`).

Output, per shard (the shard's path under SHARD_DIR, its extensions replaced):
  OUT_DIR/NAME.events.jsonl   the events, byte for byte what `dyad code` writes for the shard
                              (not written with --store: the events go to the store instead)
  OUT_DIR/NAME.rejects.jsonl  records and sentences not coded, {"origin", "error"}
  OUT_DIR/NAME.done.json      written last: the shard is done (counts, fingerprints)
Each file is written under a temporary name and renamed into place, so a shard is either
done or absent, never half-written, even when a worker dies. A re-run skips the shards whose
.done.json exists and names the same shard size, model and dictionary; the others are coded.
The events of the whole run are the concatenation of the .events.jsonl files in shard order.

Workers load the model and dictionary once (a worker plugin keeps the Coder for all the
tasks it runs). A task that fails (the worker died, the disk was full, the store was down)
is retried up to --retries times, on any worker; shards that still fail are listed at the
end and the exit status is 1. Exit 0: every shard is done.

Cluster: --workers N starts a local cluster of N worker processes (one task at a time each);
--scheduler ADDR connects to a running one (`dask-scheduler`, `dask-worker ADDR --nthreads 1`
on every machine). Every worker needs the same dyad build on its PYTHONPATH and the model and
dictionary at the same paths (or DYAD_HOME), and must be able to read SHARD_DIR and write
OUT_DIR (a shared file system) or reach the --store database.
"""

import argparse
import json
import os
import sys
import threading
import time

SHARD_SUFFIXES = (".jsonl", ".ndjson", ".json")
COMPRESSED = (".zst", ".zstd", ".gz")

_PLUGIN_NAME = "dyad-coder"
_local = {}
_local_lock = threading.Lock()


def list_shards(shard_dir):
    """The shard files under shard_dir, sorted, as paths relative to it."""
    if not os.path.isdir(shard_dir):
        raise NotADirectoryError("%s: not a directory" % shard_dir)
    found = []
    for root, dirs, files in os.walk(shard_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in files:
            if f.startswith("."):
                continue
            base = f
            for c in COMPRESSED:
                if base.endswith(c):
                    base = base[: -len(c)]
                    break
            if base.endswith(SHARD_SUFFIXES):
                found.append(os.path.relpath(os.path.join(root, f), shard_dir))
    return sorted(found)


def shard_name(rel):
    """part-0001.jsonl.zst -> part-0001 (the stem of the output files)."""
    for c in COMPRESSED:
        if rel.endswith(c):
            rel = rel[: -len(c)]
            break
    for s in SHARD_SUFFIXES:
        if rel.endswith(s):
            return rel[: -len(s)]
    return rel


def _write_atomic(path, data):
    tmp = "%s.tmp-%d-%d" % (path, os.getpid(), threading.get_ident())
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _done_record(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def is_done(shard_path, out_stem, model_fp=None, dict_fp=None):
    """A shard is done when its .done.json names the same shard size (and, when given, the
    same model and dictionary fingerprints)."""
    rec = _done_record(out_stem + ".done.json")
    if not rec:
        return False
    try:
        if rec.get("shard_bytes") != os.path.getsize(shard_path):
            return False
    except OSError:
        return False
    if model_fp and rec.get("model") != model_fp:
        return False
    if dict_fp and rec.get("dict") != dict_fp:
        return False
    return True


class CoderSpec:
    """What a worker loads: picklable, compared by value."""

    def __init__(self, model=None, dictionary=None, threads=1, default_date=None):
        self.model, self.dictionary = model, dictionary
        self.threads, self.default_date = threads, default_date

    def key(self):
        return (self.model, self.dictionary, self.threads, self.default_date)

    def load(self):
        import dyad
        return dyad.Coder(self.model, self.dictionary, threads=self.threads,
                          default_date=self.default_date)


def _coder_for(spec):
    """The Coder of this worker process: set up by the plugin, else loaded once here."""
    try:
        from distributed import get_worker
        worker = get_worker()
        plugin = worker.plugins.get(_PLUGIN_NAME)
        if plugin is not None and plugin.spec.key() == spec.key():
            return plugin.coder()
    except (ImportError, ValueError):
        pass  # not on a Dask worker: the process-wide cache below
    with _local_lock:
        c = _local.get(spec.key())
        if c is None:
            c = _local[spec.key()] = spec.load()
        return c


try:
    from distributed.diagnostics.plugin import WorkerPlugin as _WorkerPlugin
except ImportError:  # pragma: no cover - dask not installed: only the local functions work
    _WorkerPlugin = object


class CoderPlugin(_WorkerPlugin):
    """Loads the Coder when a worker starts (or joins later), once per worker process."""

    name = _PLUGIN_NAME

    def __init__(self, spec):
        self.spec = spec
        self._coder = None
        self._lock = threading.Lock()

    def setup(self, worker):
        self.coder()

    def coder(self):
        with self._lock:
            if self._coder is None:
                self._coder = self.spec.load()
            return self._coder

    def __getstate__(self):
        return {"spec": self.spec}

    def __setstate__(self, state):
        self.spec = state["spec"]
        self._coder = None
        self._lock = threading.Lock()


def _test_failure(name, out_dir):
    """Fault injection for the tests: DYAD_DASK_TEST_FAIL="NAME:N" makes the first N attempts
    at shard NAME fail (attempts are counted in OUT_DIR, so they count across workers)."""
    spec = os.environ.get("DYAD_DASK_TEST_FAIL")
    if not spec:
        return
    target, _, n = spec.rpartition(":")
    if target != name:
        return
    counter = os.path.join(out_dir, "." + name.replace(os.sep, "_") + ".attempts")
    with open(counter, "a", encoding="utf-8") as f:
        f.write("x")
    if os.path.getsize(counter) <= int(n):
        raise RuntimeError("injected failure of shard %s (DYAD_DASK_TEST_FAIL)" % name)


def code_shard(shard_dir, rel, out_dir, spec, store=None, skip_done=True):
    """Codes one shard (a Dask task; also callable directly). Returns its summary dict."""
    t0 = time.monotonic()
    shard = os.path.join(shard_dir, rel)
    name = shard_name(rel)
    stem = os.path.join(out_dir, name)
    os.makedirs(os.path.dirname(stem) or ".", exist_ok=True)
    coder = _coder_for(spec)
    if skip_done and is_done(shard, stem, coder.model_fingerprint, coder.dict_fingerprint):
        rec = _done_record(stem + ".done.json")
        rec["skipped"] = True
        return rec
    _test_failure(name, out_dir)
    shard_bytes = os.path.getsize(shard)
    command = "python3 -m dyad.dask %s (shard %s)" % (shard_dir, rel)
    if store:
        stats = coder.code_files([shard], store=store, threads=spec.threads, command=command)
    else:
        tmp = "%s.events.jsonl.tmp-%d-%d" % (stem, os.getpid(), threading.get_ident())
        try:
            stats = coder.code_files([shard], output=tmp, threads=spec.threads)
            with open(tmp, "rb") as f:
                os.fsync(f.fileno())
            os.replace(tmp, stem + ".events.jsonl")
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    rejects = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in stats["rejects"])
    _write_atomic(stem + ".rejects.jsonl", rejects)
    rec = {
        "shard": rel, "shard_bytes": shard_bytes, "documents": stats["documents"],
        "sentences": stats["sentences"], "parsed": stats["parsed"], "events": stats["events"],
        "rejects": len(stats["rejects"]), "model": coder.model_fingerprint,
        "dict": coder.dict_fingerprint, "store": store or None,
        "seconds": round(time.monotonic() - t0, 3), "pid": os.getpid(),
    }
    _write_atomic(stem + ".done.json", json.dumps(rec, sort_keys=True) + "\n")
    rec["skipped"] = False
    return rec


def run(shard_dir, out_dir, client, spec, store=None, retries=2, log=sys.stderr):
    """Submits one task per shard to `client` and waits. Returns (done, failed): summaries
    of the shards done (or skipped) and [(shard, error message)] for those that failed."""
    from distributed import as_completed

    shards = list_shards(shard_dir)
    os.makedirs(out_dir, exist_ok=True)
    client.register_worker_plugin(CoderPlugin(spec), name=_PLUGIN_NAME)
    futures = {}
    for rel in shards:
        f = client.submit(code_shard, shard_dir, rel, out_dir, spec, store,
                          key="dyad-shard-%s" % rel, retries=retries, pure=False)
        futures[f] = rel
    done, failed = [], []
    for f in as_completed(futures):
        rel = futures[f]
        if f.status == "finished":
            rec = f.result()
            done.append(rec)
            if log:
                print("dyad.dask: %s: %s" % (rel, "already done, skipped" if rec.get("skipped")
                      else "%d documents, %d events in %.1f s"
                      % (rec["documents"], rec["events"], rec["seconds"])), file=log)
        else:
            err = f.exception()
            failed.append((rel, "%s: %s" % (type(err).__name__, err)))
            if log:
                print("dyad.dask: %s: FAILED after %d retries: %s: %s"
                      % (rel, retries, type(err).__name__, err), file=log)
    done.sort(key=lambda r: r["shard"])
    failed.sort()
    return done, failed


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="python3 -m dyad.dask",
        description="Codes a directory of JSONL(.zst) shards on a Dask cluster, one task per "
                    "shard; per-shard event files (or the store), retries, and re-runs that "
                    "skip finished shards.")
    ap.add_argument("shard_dir", help="directory of *.jsonl[.zst|.gz] shards (walked)")
    ap.add_argument("--out", required=True,
                    help="directory for NAME.events.jsonl, .rejects.jsonl and .done.json")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--scheduler", help="address of a running Dask scheduler (tcp://host:8786)")
    g.add_argument("--workers", type=int, default=2,
                   help="local cluster of this many worker processes (default 2)")
    ap.add_argument("--threads", type=int, default=1,
                    help="coding threads per task (default 1: one core per worker)")
    ap.add_argument("--store", help="ingest into this store (postgresql://... or sqlite:PATH) "
                                    "instead of writing .events.jsonl files")
    ap.add_argument("--retries", type=int, default=2, help="retries of a failed shard (2)")
    ap.add_argument("--model", help="model file (default: the shipped one)")
    ap.add_argument("--dict", help="compiled dictionary (default: the shipped one)")
    ap.add_argument("--date", help="YYYY-MM-DD for documents without a date")
    args = ap.parse_args(argv)

    import dyad
    from distributed import Client, LocalCluster

    if not os.path.isdir(args.shard_dir):
        ap.error("%s: not a directory" % args.shard_dir)
    if args.workers < 1:
        ap.error("--workers must be at least 1")
    model = os.path.abspath(args.model) if args.model else dyad.default_model_path()
    dictionary = os.path.abspath(args.dict) if args.dict else dyad.default_dictionary_path()
    spec = CoderSpec(model, dictionary, args.threads, args.date)
    shard_dir, out_dir = os.path.abspath(args.shard_dir), os.path.abspath(args.out)
    t0 = time.monotonic()
    cluster = None
    if args.scheduler:
        client = Client(args.scheduler)
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    t_up = time.monotonic()
    try:
        done, failed = run(shard_dir, out_dir, client, spec, args.store, args.retries)
        t_run = time.monotonic() - t_up
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    coded = [r for r in done if not r.get("skipped")]
    print("dyad.dask: %d shards done (%d skipped as already done), %d failed; %d documents, "
          "%d events coded in %.1f s (cluster up in %.1f s, shards in %.1f s)"
          % (len(done), len(done) - len(coded), len(failed), sum(r["documents"] for r in coded),
             sum(r["events"] for r in coded), time.monotonic() - t0, t_up - t0, t_run),
          file=sys.stderr)
    for rel, err in failed:
        print("dyad.dask: failed: %s: %s" % (rel, err), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    # Run the copy imported as dyad.dask, so that Dask pickles the task and the plugin by
    # reference (workers import dyad.dask) rather than by value from __main__.
    from dyad.dask import main as _main
    sys.exit(_main())
