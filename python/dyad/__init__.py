"""dyad: news text -> CAMEO political events, from Python.

    import dyad
    coder = dyad.Coder()                      # the shipped model and dictionary, loaded once
    events = coder.code("Iraqi police arrested twelve men near Basra.", date="2026-03-04")
    events = coder.code_documents([{"id": "a", "text": "...", "date": "2026-03-04"}], threads=2)

Each event is a dict with exactly the keys and values of a `dyad code` JSONL line (doc_id,
sentence, date, source, target, code, root, quad_class, goldstein, issues, source_text,
target_text, verb_text, source_span, target_span, verb_span, pattern, pattern_where, text,
location, model, dict), so `json.loads(line)` of the CLI's output and the binding's dict
compare equal. The coding is the library's (pipeline::Runner, the same calls as the CLI);
the GIL is released while coding, so a Coder can be shared by many Python threads.

`python3 -m dyad.dask SHARD_DIR --out OUT_DIR` codes a directory of shards on a Dask cluster
(see dyad/dask.py and python/README.md).
"""

import os as _os

from . import _dyad
from ._dyad import normalize_date

__version__ = _dyad.__version__

__all__ = ["Coder", "normalize_date", "default_model_path", "default_dictionary_path",
           "__version__"]


def _data_root():
    """Where the shipped model and dictionary are, found like the CLI's DataRoot():
    $DYAD_HOME, else the source tree this package was built from (or the install prefix's
    share/dyad), else the current directory."""
    home = _os.environ.get("DYAD_HOME")
    if home:
        return home
    try:
        from . import _paths
        root = _paths.SOURCE_DIR
    except ImportError:  # pragma: no cover - a package assembled by hand
        root = None
    if root and _os.path.isdir(_os.path.join(root, "models")):
        return root
    return "."


def default_model_path():
    """$DYAD_MODEL, else <data root>/models/en-ewt.dyadm (what `dyad code` uses)."""
    return _os.environ.get("DYAD_MODEL") or _os.path.join(_data_root(), "models", "en-ewt.dyadm")


def default_dictionary_path():
    """<data root>/data/dict/phoenix.dyadd, the shipped compiled dictionary."""
    return _os.path.join(_data_root(), _dyad.DEFAULT_DICTIONARY_FILE)


def default_gazetteer_path():
    """<data root>/data/geo/gazetteer.dyadg, the shipped gazetteer (event locations)."""
    return _os.path.join(_data_root(), "data", "geo", "gazetteer.dyadg")


def _path_arg(value, name):
    if isinstance(value, _os.PathLike):
        value = _os.fspath(value)
    if not isinstance(value, str):
        raise TypeError("%s must be a path (str or os.PathLike), not %s"
                        % (name, type(value).__name__))
    if not value:
        raise ValueError("%s must not be empty" % name)
    return value


class Coder:
    """A loaded model and dictionary: codes text into events.

    Coder(model=None, dictionary=None, threads=1, default_date=None, max_sentence_words=250,
          gazetteer=None)

    model        the parser model file (default: the shipped models/en-ewt.dyadm)
    dictionary   a compiled dictionary, .dyadd (default: the shipped data/dict/phoenix.dyadd)
    threads      default number of threads for code_documents() and code_files()
    default_date YYYY-MM-DD for documents that carry no date
    max_sentence_words  longer sentences are not coded (as `dyad code --max-sentence-words`)
    gazetteer    places for event locations (default: the shipped data/geo/gazetteer.dyadg);
                 False: no geolocation (as `dyad code --no-geo`)

    Loading takes a second or two; do it once and reuse the Coder. It is immutable and
    thread-safe: call code() from many threads at once. Raises OSError when a file cannot be
    loaded (with the library's message), ValueError/TypeError for bad arguments.
    """

    def __init__(self, model=None, dictionary=None, threads=1, default_date=None,
                 max_sentence_words=250, gazetteer=None):
        model = default_model_path() if model is None else _path_arg(model, "model")
        if gazetteer is False:
            gazetteer = ""
        elif gazetteer is None:
            gazetteer = default_gazetteer_path()
        else:
            gazetteer = _path_arg(gazetteer, "gazetteer")
        dictionary = (default_dictionary_path() if dictionary is None
                      else _path_arg(dictionary, "dictionary"))
        if isinstance(threads, bool) or not isinstance(threads, int):
            raise TypeError("threads must be an int, not %s" % type(threads).__name__)
        if default_date is not None and not isinstance(default_date, str):
            if hasattr(default_date, "isoformat"):
                default_date = default_date.isoformat()[:10]
            else:
                raise TypeError("default_date must be a str or datetime.date")
        if not _os.path.isfile(model):
            raise FileNotFoundError("%s: model file not found (set DYAD_MODEL or DYAD_HOME, or "
                                    "pass model=)" % model)
        if not _os.path.isfile(dictionary):
            raise FileNotFoundError("%s: dictionary file not found (pass dictionary=)"
                                    % dictionary)
        if gazetteer and not _os.path.isfile(gazetteer):
            raise FileNotFoundError("%s: gazetteer not found (pass gazetteer=False to code "
                                    "without locations)" % gazetteer)
        self._c = _dyad._Coder(model, dictionary, threads, default_date or "",
                               max_sentence_words, gazetteer)

    @property
    def model_fingerprint(self):
        """Fingerprint of the parser model (16 hex digits), as on every event ("model")."""
        return self._c.model_fingerprint

    @property
    def dict_fingerprint(self):
        """Fingerprint of the dictionary, as on every event ("dict")."""
        return self._c.dict_fingerprint

    @property
    def threads(self):
        return self._c.threads

    @property
    def model_path(self):
        return self._c.model_path

    @property
    def dictionary_path(self):
        return self._c.dict_path

    def code(self, text, date=None, doc_id=None):
        """Codes one document: a list of event dicts, in sentence order.

        date: "YYYY-MM-DD" (or any date the readers accept, or a datetime.date); None takes
        the Coder's default_date. A date that cannot be read raises ValueError.
        """
        if not isinstance(text, str):
            raise TypeError("text must be a str, not %s" % type(text).__name__)
        if doc_id is None:
            doc_id = ""
        elif not isinstance(doc_id, (str, int)) or isinstance(doc_id, bool):
            raise TypeError("doc_id must be a str, not %s" % type(doc_id).__name__)
        return self._c.code(text, date, str(doc_id))

    def code_documents(self, documents, threads=None, rejects=None):
        """Codes an iterable of document dicts ({"text", and optionally "id", "date", "title",
        "source", "url"}) on `threads` threads (default: the Coder's). Returns the events of
        all documents as a list of dicts, in input order, the same for any number of threads.

        A document whose date cannot be read is a rejection: with `rejects` a list, it is
        appended there as {"origin", "error"} and coding goes on; otherwise ValueError. A
        document that is not a dict, or has no "text", raises TypeError/ValueError.
        """
        return self._c.code_documents(documents, threads, rejects)

    def iter_documents(self, documents, threads=None, batch=256, rejects=None):
        """Like code_documents, but yields the events batch by batch (memory stays bounded
        for a long iterable)."""
        it = iter(documents)
        while True:
            chunk = []
            for doc in it:
                chunk.append(doc)
                if len(chunk) >= batch:
                    break
            if not chunk:
                return
            yield from self._c.code_documents(chunk, threads, rejects)

    def code_files(self, paths, output=None, store=None, threads=None, command=""):
        """Codes files (JSONL, JSONL.zst/.gz, text, PETRARCH XML, HTML, CoNLL-U; directories
        are walked) with dyad's document reader and writes the events as `dyad code` JSONL to
        `output`, or ingests them into the event store at `store` (sqlite:PATH or
        postgresql://...). Returns {"documents", "sentences", "parsed", "events", "rejects"}
        (rejects: [{"origin", "error"}], the records and sentences not coded).
        """
        if isinstance(paths, (str, _os.PathLike)):
            paths = [paths]
        paths = [_path_arg(p, "path") for p in paths]
        output = "" if output is None else _path_arg(output, "output")
        store = "" if store is None else _path_arg(store, "store")
        return self._c.code_files(paths, output, store, threads, command)

    def __repr__(self):
        return "dyad.Coder(model=%r, dictionary=%r, threads=%d)" % (
            self.model_path, self.dictionary_path, self.threads)
