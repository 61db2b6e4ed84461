"""Tests of the dyad Python binding: run with /usr/bin/python3 -m unittest test_binding, with
PYTHONPATH naming the build's python/ directory and DYAD_CLI the dyad executable (ctest sets
both)."""

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import unittest

import dyad

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.path.abspath(os.path.join(HERE, "..", ".."))
SAMPLES = os.path.join(SOURCE_DIR, "data", "samples", "news.jsonl")


def find_cli():
    cli = os.environ.get("DYAD_CLI")
    if cli and os.path.exists(cli):
        return cli
    # The build tree this package comes from: <build>/python/dyad/__init__.py.
    build = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(dyad.__file__))))
    cand = os.path.join(build, "dyad")
    return cand if os.path.exists(cand) else None


def cli_events(cli, path, *extra):
    out = subprocess.run([cli, "code", "--quiet", *extra, path], check=False,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if out.returncode not in (0, 1):
        raise AssertionError("dyad code failed: %s" % out.stderr.decode())
    return out.stdout


def read_docs(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


# Our own sentences (no third-party text in tests).
OWN_DOCS = [
    {"id": "own-1", "date": "2026-04-01",
     "text": "Iraqi police arrested twelve men near Basra on Monday. The government of Iran "
             "condemned the arrests and accused Iraq of provoking a crisis."},
    {"id": "own-2", "date": "20260402",
     "text": "The president of France met the prime minister of Germany in Paris. They agreed "
             "to cooperate on energy. Russian troops attacked a village in Ukraine."},
    {"id": "own-3", "date": "2026-04-03",
     "text": "Nothing happened here at all. The weather was fine."},
    {"id": "own-4", "date": "2026-04-04",
     "text": "Israel accused Hamas of firing rockets. Egypt urged both sides to stop. The "
             "United Nations called for a ceasefire and promised to send aid to Gaza."},
]


class BindingTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.coder = dyad.Coder()
        cls.cli = find_cli()

    def test_version_and_fingerprints(self):
        self.assertRegex(dyad.__version__, r"^\d+\.\d+\.\d+")
        self.assertRegex(self.coder.model_fingerprint, r"^[0-9a-f]{16}$")
        self.assertRegex(self.coder.dict_fingerprint, r"^[0-9a-f]{16}$")
        self.assertIn("Coder(", repr(self.coder))

    def test_events_equal_cli_on_samples(self):
        if not self.cli:
            self.skipTest("dyad CLI not found (set DYAD_CLI)")
        want = [json.loads(l) for l in cli_events(self.cli, SAMPLES).decode().splitlines()]
        self.assertGreater(len(want), 0)
        got = self.coder.code_documents(read_docs(SAMPLES))
        self.assertEqual(got, want)
        # Same keys in the same order as the JSONL line.
        self.assertEqual(list(got[0].keys()), list(want[0].keys()))
        self.assertEqual(got[0]["model"], self.coder.model_fingerprint)
        self.assertEqual(got[0]["dict"], self.coder.dict_fingerprint)
        # code() one document at a time gives the same.
        one = []
        for d in read_docs(SAMPLES):
            one += self.coder.code(d["text"], date=d.get("date"), doc_id=d["id"])
        self.assertEqual(one, want)

    def test_events_equal_cli_on_own_text_and_files(self):
        if not self.cli:
            self.skipTest("dyad CLI not found (set DYAD_CLI)")
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "own.jsonl")
            with open(path, "w", encoding="utf-8") as f:
                for d in OWN_DOCS:
                    f.write(json.dumps(d) + "\n")
            want_bytes = cli_events(self.cli, path)
            want = [json.loads(l) for l in want_bytes.decode().splitlines()]
            self.assertGreater(len(want), 2, "the own sentences should give events")
            self.assertEqual(self.coder.code_documents(OWN_DOCS), want)
            # code_files writes exactly the CLI's bytes.
            out = os.path.join(tmp, "events.jsonl")
            stats = self.coder.code_files([path], output=out)
            with open(out, "rb") as f:
                self.assertEqual(f.read(), want_bytes)
            self.assertEqual(stats["documents"], len(OWN_DOCS))
            self.assertEqual(stats["events"], len(want))
            self.assertEqual(stats["rejects"], [])

    def test_threads_give_the_same_events(self):
        docs = OWN_DOCS * 5
        one = self.coder.code_documents(docs, threads=1)
        self.assertEqual(self.coder.code_documents(docs, threads=3), one)
        self.assertEqual(self.coder.code_documents(iter(docs), threads=2), one)
        self.assertEqual(list(self.coder.iter_documents(docs, threads=2, batch=3)), one)

    def test_python_threads_in_parallel(self):
        expected = {d["id"]: self.coder.code(d["text"], d["date"], d["id"]) for d in OWN_DOCS}
        results, errors = {}, []

        def work(k):
            try:
                for _ in range(5):
                    for d in OWN_DOCS:
                        got = self.coder.code(d["text"], d["date"], d["id"])
                        if got != expected[d["id"]]:
                            errors.append("thread %d: %s differs" % (k, d["id"]))
                results[k] = True
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append("thread %d: %r" % (k, e))

        threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        self.assertEqual(len(results), 4)

    def test_gil_released_while_coding(self):
        # A long document takes a while; a Python thread must keep running meanwhile.
        text = " ".join(d["text"] for d in OWN_DOCS) + " "
        text = text * 250
        done = threading.Event()
        gaps = []

        def code():
            try:
                self.coder.code(text, "2026-04-01", "long")
            finally:
                done.set()

        t = threading.Thread(target=code)
        start = time.monotonic()
        t.start()
        last = time.monotonic()
        while not done.is_set():
            now = time.monotonic()
            gaps.append(now - last)
            last = now
            time.sleep(0.001)
        t.join()
        duration = time.monotonic() - start
        if duration < 0.2:
            self.skipTest("coding was too fast to tell (%.3f s)" % duration)
        self.assertLess(max(gaps), duration / 2,
                        "the main thread was blocked while coding: the GIL was held")

    def test_bad_inputs_raise_clear_exceptions(self):
        with self.assertRaises(FileNotFoundError) as cm:
            dyad.Coder(model="/nonexistent/model.dyadm")
        self.assertIn("/nonexistent/model.dyadm", str(cm.exception))
        with tempfile.NamedTemporaryFile("w", suffix=".dyadm") as f:
            f.write("not a model")
            f.flush()
            with self.assertRaises(OSError) as cm:
                dyad.Coder(model=f.name)
            self.assertIn(f.name, str(cm.exception))
            with self.assertRaises(OSError) as cm:
                dyad.Coder(dictionary=f.name)
            self.assertIn(f.name, str(cm.exception))
        with self.assertRaises(ValueError):
            dyad.Coder(threads=0)
        with self.assertRaises(TypeError):
            dyad.Coder(model=3)
        with self.assertRaises(TypeError):
            self.coder.code(b"bytes are not text")
        with self.assertRaises(ValueError) as cm:
            self.coder.code("Iran met Iraq.", date="03/04/2026")
        self.assertIn("03/04/2026", str(cm.exception))
        with self.assertRaises(TypeError):
            self.coder.code("Iran met Iraq.", date=20260304)
        with self.assertRaises(ValueError) as cm:
            self.coder.code_documents([{"id": "x"}])
        self.assertIn("no \"text\"", str(cm.exception))
        with self.assertRaises(TypeError) as cm:
            self.coder.code_documents(["just a string"])
        self.assertIn("document 1", str(cm.exception))
        with self.assertRaises(TypeError):
            self.coder.code_documents([{"id": "x", "text": 5}])
        with self.assertRaises(ValueError):
            self.coder.code_documents(OWN_DOCS, threads=0)
        with self.assertRaises(TypeError):
            self.coder.code_documents(42)
        # A bad date rejects the document: an error, or a rejection record and the rest coded.
        bad = [OWN_DOCS[0], {"id": "bad", "text": "Iran met Iraq.", "date": "31/12/2026"}]
        with self.assertRaises(ValueError) as cm:
            self.coder.code_documents(bad)
        self.assertIn("bad", str(cm.exception))
        rejects = []
        events = self.coder.code_documents(bad, rejects=rejects)
        self.assertEqual(events, self.coder.code_documents(OWN_DOCS[:1]))
        self.assertEqual(len(rejects), 1)
        self.assertEqual(rejects[0]["origin"], "bad")
        # An exception raised by the iterable itself propagates unchanged.
        def gen():
            yield OWN_DOCS[0]
            raise KeyError("from the generator")
        with self.assertRaises(KeyError):
            self.coder.code_documents(gen(), threads=2)
        with self.assertRaises(ValueError):
            self.coder.code_files([SAMPLES])  # neither output nor store
        with self.assertRaises(OSError):
            self.coder.code_files([SAMPLES], output="/nonexistent/dir/out.jsonl")

    def test_dates(self):
        self.assertEqual(dyad.normalize_date("20260304"), "2026-03-04")
        import datetime
        a = self.coder.code(OWN_DOCS[0]["text"], date=datetime.date(2026, 4, 1), doc_id="d")
        b = self.coder.code(OWN_DOCS[0]["text"], date="April 1, 2026", doc_id="d")
        self.assertEqual(a, b)
        self.assertTrue(a and all(e["date"] == "2026-04-01" for e in a))
        c = dyad.Coder(default_date="2026-05-06")
        e = c.code(OWN_DOCS[0]["text"])
        self.assertTrue(e and all(x["date"] == "2026-05-06" for x in e))


if __name__ == "__main__":
    unittest.main()
