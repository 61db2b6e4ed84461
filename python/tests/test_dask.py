"""Tests of `python3 -m dyad.dask`: a LocalCluster of 2 worker processes codes shards made
from data/samples (and part of the BBC corpus when DYAD_SHARED has it); the events must
equal a single-process `dyad code` run. Also: a re-run skips finished shards, a failing shard
is retried, and one that keeps failing is reported with exit status 1."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import dyad
from dyad import dask as dyad_dask

from test_binding import OWN_DOCS, SAMPLES, SOURCE_DIR, find_cli

SHARED = os.environ.get("DYAD_SHARED") or os.path.join(SOURCE_DIR, "..", "shared")
BBC = os.path.join(SHARED, "data", "news", "bbc-news-2004-2005.jsonl")
BBC_DOCS = int(os.environ.get("DYAD_DASK_TEST_BBC_DOCS", "160"))
DATE = "2005-01-01"


def python_env():
    env = dict(os.environ)
    pkg = os.path.dirname(os.path.dirname(os.path.abspath(dyad.__file__)))
    env["PYTHONPATH"] = pkg + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def run_dask(shards, out, *extra, env=None):
    cmd = [sys.executable, "-m", "dyad.dask", shards, "--out", out, "--workers", "2",
           "--date", DATE, *extra]
    return subprocess.run(cmd, env=env or python_env(), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=900)


class DaskTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cli = find_cli()
        cls.tmp = tempfile.mkdtemp(prefix="dyad-dask-test-")
        cls.shards = os.path.join(cls.tmp, "shards")
        os.makedirs(os.path.join(cls.shards, "sub"))
        lines = []
        with open(SAMPLES, encoding="utf-8") as f:
            lines += [l if l.endswith("\n") else l + "\n" for l in f if l.strip()]
        lines += [json.dumps(d) + "\n" for d in OWN_DOCS]
        if os.path.exists(BBC):
            with open(BBC, encoding="utf-8") as f:
                for i, l in enumerate(f):
                    if i >= BBC_DOCS:
                        break
                    lines.append(l)
        # 6 shards; names sort in input order; one compressed, one in a subdirectory.
        n = 6
        size = (len(lines) + n - 1) // n
        cls.names = []
        for k in range(n):
            part = lines[k * size:(k + 1) * size]
            rel = "part-%02d.jsonl" % k if k < 5 else os.path.join("sub", "part-%02d.jsonl" % k)
            path = os.path.join(cls.shards, rel)
            with open(path, "w", encoding="utf-8") as f:
                f.writelines(part)
            if k == 2 and shutil.which("zstd"):
                subprocess.run(["zstd", "-q", "--rm", path], check=True)
                rel += ".zst"
            cls.names.append(rel)
        cls.all_input = os.path.join(cls.tmp, "all.jsonl")
        with open(cls.all_input, "w", encoding="utf-8") as f:
            f.writelines(lines)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def concat_events(self, out):
        data = b""
        for rel in dyad_dask.list_shards(self.shards):
            with open(os.path.join(out, dyad_dask.shard_name(rel) + ".events.jsonl"), "rb") as f:
                data += f.read()
        return data

    def test_list_shards(self):
        self.assertEqual(dyad_dask.list_shards(self.shards), sorted(self.names))
        self.assertEqual(dyad_dask.shard_name("a/b.jsonl.zst"), "a/b")

    def test_local_cluster_equals_single_process_and_reruns_skip(self):
        if not self.cli:
            self.skipTest("dyad CLI not found (set DYAD_CLI)")
        want = subprocess.run([self.cli, "code", "--quiet", "--date", DATE, self.all_input],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.assertIn(want.returncode, (0, 1), want.stderr.decode())
        self.assertGreater(len(want.stdout.splitlines()), 5)
        out = os.path.join(self.tmp, "out-equal")
        r = run_dask(self.shards, out)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        self.assertEqual(self.concat_events(out), want.stdout)
        # No temporary files are left; every shard has its done record.
        leftovers = [f for _, _, fs in os.walk(out) for f in fs if ".tmp-" in f]
        self.assertEqual(leftovers, [])
        pids = set()
        for rel in self.names:
            with open(os.path.join(out, dyad_dask.shard_name(rel) + ".done.json")) as f:
                pids.add(json.load(f)["pid"])
        self.assertGreaterEqual(len(pids), 1)
        # Re-run: every shard is skipped and nothing changes.
        before = {rel: os.stat(os.path.join(out, dyad_dask.shard_name(rel) + ".events.jsonl"))
                  .st_mtime_ns for rel in self.names}
        r = run_dask(self.shards, out)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        self.assertIn("6 shards done (6 skipped", r.stderr.decode())
        after = {rel: os.stat(os.path.join(out, dyad_dask.shard_name(rel) + ".events.jsonl"))
                 .st_mtime_ns for rel in self.names}
        self.assertEqual(before, after)
        # A shard whose done record is gone is coded again; the others are skipped.
        os.unlink(os.path.join(out, "part-01.done.json"))
        r = run_dask(self.shards, out)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        self.assertIn("6 shards done (5 skipped", r.stderr.decode())
        self.assertEqual(self.concat_events(out), want.stdout)

    def test_failing_shard_is_retried_then_reported(self):
        env = python_env()
        # Fails once: the retry codes it.
        out = os.path.join(self.tmp, "out-retry")
        env["DYAD_DASK_TEST_FAIL"] = "part-03:1"
        r = run_dask(self.shards, out, env=env)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        self.assertTrue(os.path.exists(os.path.join(out, "part-03.done.json")))
        with open(os.path.join(out, ".part-03.attempts")) as f:
            self.assertEqual(f.read(), "xx")
        # Fails always: reported, exit 1, the other shards done, nothing half-written.
        out = os.path.join(self.tmp, "out-fail")
        env["DYAD_DASK_TEST_FAIL"] = "part-04:100"
        r = run_dask(self.shards, out, "--retries", "1", env=env)
        err = r.stderr.decode()
        self.assertEqual(r.returncode, 1, err)
        self.assertIn("failed: part-04.jsonl", err)
        self.assertIn("injected failure", err)
        self.assertFalse(os.path.exists(os.path.join(out, "part-04.events.jsonl")))
        self.assertFalse(os.path.exists(os.path.join(out, "part-04.done.json")))
        self.assertTrue(os.path.exists(os.path.join(out, "part-05.done.json"))
                        or os.path.exists(os.path.join(out, "sub", "part-05.done.json")))
        # Then a run without the failure finishes only that shard.
        del env["DYAD_DASK_TEST_FAIL"]
        r = run_dask(self.shards, out, env=env)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        self.assertIn("6 shards done (5 skipped", r.stderr.decode())

    def test_postgresql_store(self):
        script = os.path.join(SOURCE_DIR, "scripts", "pg-test-cluster.sh")
        if not self.cli or not shutil.which("psql"):
            self.skipTest("needs the dyad CLI and psql")
        pgdir = os.path.join(self.tmp, "pg")
        start = subprocess.run(["sh", script, "start", pgdir], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
        if start.returncode != 0:
            self.skipTest("no PostgreSQL test cluster: %s" % start.stderr.decode())
        try:
            url = start.stdout.decode().strip().splitlines()[-1]
            want = subprocess.run([self.cli, "code", "--quiet", "--date", DATE, self.all_input],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE).stdout
            out = os.path.join(self.tmp, "out-pg")
            r = run_dask(self.shards, out, "--store", url)
            self.assertEqual(r.returncode, 0, r.stderr.decode())
            self.assertFalse([f for f in os.listdir(out) if f.endswith(".events.jsonl")])

            def count(sql):
                q = subprocess.run(["psql", "-At", "-c", sql, url], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, check=True)
                return q.stdout.decode().strip()

            n = len(want.splitlines())
            self.assertEqual(count("select count(*) from events"), str(n))
            # Coding the shards again (done records removed) does not duplicate events.
            for f in os.listdir(out):
                if f.endswith(".done.json"):
                    os.unlink(os.path.join(out, f))
            r = run_dask(self.shards, out, "--store", url)
            self.assertEqual(r.returncode, 0, r.stderr.decode())
            self.assertEqual(count("select count(*) from events"), str(n))
        finally:
            subprocess.run(["sh", script, "stop", pgdir], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)

    def test_bad_arguments(self):
        r = subprocess.run([sys.executable, "-m", "dyad.dask", "/nonexistent", "--out",
                            os.path.join(self.tmp, "x")], env=python_env(),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.assertEqual(r.returncode, 2)
        self.assertIn("not a directory", r.stderr.decode())


if __name__ == "__main__":
    unittest.main()
