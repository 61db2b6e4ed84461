// dyad._dyad: the Python binding of the event pipeline (pybind11).
//
// The same library calls as `dyad code`: Pipeline::Load and dict::Dictionary::Load once, then
// pipeline::Runner (text -> sentences -> pre-pass -> parse -> code) per document. An event
// reaches Python as the dict json.loads makes of its `dyad code` JSONL line: the line is
// formatted by EventWriter and read back by dyad's JSON reader (on the worker threads, without
// the GIL), so the two can never disagree on a key or a value, whatever fields the writer
// gains.
//
// Threads: the GIL is released while loading and coding. A Coder is immutable after
// construction and may be used from many Python threads at once (Runner::CodeDocument is
// const and thread-safe). Errors of the library (Status) become Python exceptions carrying
// its message: OSError for files that cannot be loaded or written, ValueError for bad
// values, TypeError for values of the wrong type.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <cstdio>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dyad/coder.h"
#include "dyad/dict.h"
#include "dyad/event_writer.h"
#include "dyad/json.h"
#include "dyad/nlp.h"
#include "dyad/geo.h"
#include "dyad/pipeline.h"
#include "dyad/reader.h"
#include "dyad/store.h"
#include "dyad/version.h"
#include "util/binary.h"

namespace py = pybind11;

namespace dyad::python {
namespace {

// A JSON value as json.loads returns it: numbers without '.', 'e' or 'E' are ints.
py::object ToPython(const JsonValue& v) {
  switch (v.type) {
    case JsonValue::Type::kNull:
      return py::none();
    case JsonValue::Type::kBool:
      return py::bool_(v.boolean);
    case JsonValue::Type::kNumber:
      if (v.str.find_first_of(".eE") == std::string::npos) {
        PyObject* n = PyLong_FromString(v.str.c_str(), nullptr, 10);
        if (!n) throw py::error_already_set();
        return py::reinterpret_steal<py::object>(n);
      }
      return py::float_(v.number);
    case JsonValue::Type::kString:
      return py::str(v.str);
    case JsonValue::Type::kArray: {
      py::list l(v.array.size());
      for (size_t i = 0; i < v.array.size(); ++i) l[i] = ToPython(v.array[i]);
      return l;
    }
    case JsonValue::Type::kObject: {
      py::dict d;
      for (const auto& [k, x] : v.object) d[py::str(k)] = ToPython(x);
      return d;
    }
  }
  return py::none();
}

// Reads back the JSONL lines EventWriter wrote. Runs without the GIL.
Status ParseLines(std::string_view jsonl, std::vector<JsonValue>* parsed) {
  size_t start = 0;
  while (start < jsonl.size()) {
    size_t end = jsonl.find('\n', start);
    if (end == std::string::npos) end = jsonl.size();
    auto v = ParseJson(jsonl.substr(start, end - start));
    if (!v.ok()) return Status::Error("internal: an event line is not JSON: " + v.status().message());
    parsed->push_back(std::move(*v));
    start = end + 1;
  }
  return Status::Ok();
}

// A date as the readers accept it ("2026-03-03", "20260303", "March 3, 2026", ...) -> YYYY-MM-DD.
std::string NormalizeDateOrThrow(const std::string& date) {
  auto d = NormalizeNewsDate(date);
  if (!d.ok()) throw py::value_error(d.status().message());
  return *d;
}

// A Python value given as a date: None, a str, or a datetime.date / datetime.datetime.
std::optional<std::string> DateArg(const py::handle& v, const std::string& what) {
  if (v.is_none()) return std::nullopt;
  if (py::isinstance<py::str>(v)) return v.cast<std::string>();
  if (py::hasattr(v, "isoformat") && py::hasattr(v, "year"))
    return v.attr("isoformat")().cast<std::string>().substr(0, 10);
  throw py::type_error(what + ": 'date' must be a str or a datetime.date, not " +
                       std::string(py::str(v.get_type().attr("__name__"))));
}

std::string StrField(const py::dict& d, const char* key, const std::string& what) {
  if (!d.contains(key)) return "";
  py::object v = d[key];
  if (v.is_none()) return "";
  if (py::isinstance<py::str>(v)) return v.cast<std::string>();
  if (std::string(key) == "id" && py::isinstance<py::int_>(v)) return py::str(v).cast<std::string>();
  throw py::type_error(what + ": '" + key + "' must be a str, not " +
                       std::string(py::str(v.get_type().attr("__name__"))));
}

struct Loaded {
  std::shared_ptr<const Pipeline> nlp;
  std::shared_ptr<const dict::Dictionary> dict;
  coder::Coder coder;
  std::shared_ptr<const geo::Gazetteer> gazetteer;  // null: no geolocation
  std::unique_ptr<geo::Locator> locator;
};

class PyCoder {
 public:
  PyCoder(const std::string& model, const std::string& dictionary, int threads,
          const std::string& default_date, int max_sentence_words, const std::string& gazetteer)
      : threads_(threads), model_path_(model), dict_path_(dictionary) {
    if (threads < 1 || threads > 256)
      throw py::value_error("threads must be between 1 and 256, not " + std::to_string(threads));
    if (max_sentence_words < 1) throw py::value_error("max_sentence_words must be at least 1");
    coder::CoderOptions opts;
    if (!default_date.empty()) {
      std::string d = NormalizeDateOrThrow(default_date);
      opts.default_date = d.substr(0, 4) + d.substr(5, 2) + d.substr(8, 2);
      default_date_ = d;
    }
    Status error;
    {
      py::gil_scoped_release release;
      auto nlp = Pipeline::Load(model);
      if (!nlp.ok()) {
        error = nlp.status();
      } else {
        auto dict = dict::Dictionary::Load(dictionary);
        if (!dict.ok()) {
          error = dict.status();
        } else {
          auto c = coder::Coder::Create(*dict, opts);
          if (!c.ok()) {
            error = c.status();
          } else {
            auto loaded = std::make_unique<Loaded>(Loaded{*nlp, *dict, std::move(*c), {}, {}});
            if (!gazetteer.empty()) {
              auto g = geo::Gazetteer::Load(gazetteer);
              if (!g.ok()) {
                error = g.status();
                loaded.reset();
              } else {
                loaded->gazetteer = *g;
                loaded->locator = std::make_unique<geo::Locator>(*loaded->gazetteer);
              }
            }
            loaded_ = std::move(loaded);
          }
        }
      }
    }
    if (!loaded_) {
      PyErr_SetString(PyExc_OSError, error.message().c_str());
      throw py::error_already_set();
    }
    pipeline::Options popt;
    popt.max_sentence_words = static_cast<size_t>(max_sentence_words);
    popt.locator = loaded_->locator.get();
    runner_ = std::make_unique<pipeline::Runner>(*loaded_->nlp, loaded_->coder, popt);
    writer_ = std::make_unique<EventWriter>(EventFormat::kJsonl, provenance());
  }

  EventProvenance provenance() const {
    return {DYAD_VERSION, HexFingerprint(loaded_->nlp->fingerprint()),
            HexFingerprint(loaded_->dict->fingerprint())};
  }

  // One document.
  py::list Code(const std::string& text, const py::object& date, const std::string& doc_id) {
    pipeline::Input in;
    in.doc.id = doc_id;
    in.doc.text = text;
    auto d = DateArg(date, "code()");
    in.doc.date = d ? NormalizeDateOrThrow(*d) : default_date_;
    pipeline::Output out;
    std::vector<JsonValue> parsed;
    Status st;
    {
      py::gil_scoped_release release;
      runner_->CodeDocument(in, &out);
      if (out.reject.empty()) {
        writer_->AppendDocument(out.events, &out.text, &out.doc);
        st = ParseLines(out.text, &parsed);
      }
    }
    if (!out.reject.empty()) throw py::value_error(out.reject);
    if (!st.ok()) throw std::runtime_error(st.message());
    py::list events(parsed.size());
    for (size_t i = 0; i < parsed.size(); ++i) events[i] = ToPython(parsed[i]);
    return events;
  }

  // Many documents (an iterable of dicts), on `threads` threads, events in input order.
  py::list CodeDocuments(const py::iterable& docs, std::optional<int> threads,
                         const py::object& rejects) {
    int n_threads = threads.value_or(threads_);
    if (n_threads < 1 || n_threads > 256)
      throw py::value_error("threads must be between 1 and 256, not " + std::to_string(n_threads));
    bool collect = !rejects.is_none();
    if (collect && !py::isinstance<py::list>(rejects))
      throw py::type_error("rejects must be a list (or None to raise on the first rejection)");
    py::iterator it = py::iter(docs);
    py::list events;
    size_t index = 0;
    std::exception_ptr error;  // a Python error raised in a hook, re-raised after the run
    std::string reject_error;  // the first rejection, when not collecting
    pipeline::Runner::Hooks hooks;
    hooks.next = [&]() -> std::optional<pipeline::Input> {
      py::gil_scoped_acquire acquire;
      if (error || !reject_error.empty()) return std::nullopt;
      try {
        if (it == py::iterator::sentinel()) return std::nullopt;
        py::handle item = *it;
        ++index;
        std::string what = "document " + std::to_string(index);
        pipeline::Input in;
        in.origin = "<python>:" + std::to_string(index);
        if (!py::isinstance<py::dict>(item))
          throw py::type_error(what + ": a document must be a dict with \"text\" (and \"id\", " +
                               "\"date\", ...), not " +
                               std::string(py::str(item.get_type().attr("__name__"))));
        py::dict d = py::reinterpret_borrow<py::dict>(item);
        if (!d.contains("text") || d["text"].is_none())
          throw py::value_error(what + ": no \"text\"");
        in.doc.text = StrField(d, "text", what);
        in.doc.id = StrField(d, "id", what);
        if (in.doc.id.empty()) in.doc.id = in.origin;
        in.origin = in.doc.id;
        in.doc.title = StrField(d, "title", what);
        in.doc.source = StrField(d, "source", what);
        in.doc.url = StrField(d, "url", what);
        auto date = d.contains("date") ? DateArg(d["date"], what) : std::nullopt;
        if (date && !date->empty()) {
          auto n = NormalizeNewsDate(*date);
          if (n.ok())
            in.doc.date = *n;
          else
            in.reject = n.status().message();
        } else {
          in.doc.date = default_date_;
        }
        ++it;
        return in;
      } catch (...) {
        error = std::current_exception();
        return std::nullopt;
      }
    };
    const EventWriter& writer = *writer_;
    hooks.finish = [&](pipeline::Output& o) {
      // On the worker thread: the JSONL lines of the events, as `dyad code` writes them.
      if (!o.reject.empty()) return;
      writer.AppendDocument(o.events, &o.text, &o.doc);
      o.doc.sentences.clear();  // not needed any more: keep the reorder window small
      o.doc.sentences.shrink_to_fit();
    };
    hooks.consume = [&](pipeline::Output& o) {
      py::gil_scoped_acquire acquire;
      if (error) return;
      try {
        if (!o.reject.empty()) {
          if (!collect) {
            if (reject_error.empty()) reject_error = o.origin + ": " + o.reject;
            return;
          }
          py::dict r;
          r["origin"] = o.origin;
          r["error"] = o.reject;
          rejects.cast<py::list>().append(r);
          return;
        }
        std::vector<JsonValue> parsed;
        Status st;
        {
          py::gil_scoped_release release;
          st = ParseLines(o.text, &parsed);
        }
        if (!st.ok()) throw std::runtime_error(st.message());
        for (const auto& v : parsed) events.append(ToPython(v));
      } catch (...) {
        error = std::current_exception();
      }
    };
    {
      py::gil_scoped_release release;
      runner_->Run(n_threads, hooks);
    }
    if (error) std::rethrow_exception(error);
    if (!reject_error.empty()) throw py::value_error(reject_error);
    return events;
  }

  // Codes JSONL(.zst)/text/... files read by DocumentReader and writes `dyad code`'s JSONL to
  // `output` (or ingests into the store at `store_url`). Returns counts and the rejections.
  py::dict CodeFiles(const std::vector<std::string>& paths, const std::string& output,
                     const std::string& store_url, std::optional<int> threads,
                     const std::string& command) {
    int n_threads = threads.value_or(threads_);
    if (n_threads < 1 || n_threads > 256)
      throw py::value_error("threads must be between 1 and 256, not " + std::to_string(n_threads));
    if (output.empty() == store_url.empty())
      throw py::value_error("code_files: give exactly one of output= and store=");
    if (paths.empty()) throw py::value_error("code_files: no input paths");
    size_t docs = 0, sentences = 0, parsed = 0, n_events = 0;
    std::vector<std::pair<std::string, std::string>> rejected;
    std::string error;
    int error_kind = 0;  // 1 OSError, 2 ValueError
    {
      py::gil_scoped_release release;
      FILE* out = nullptr;
      std::unique_ptr<store::Store> db;
      std::unique_ptr<store::Writer> sw;
      EventProvenance prov = provenance();
      if (!output.empty()) {
        out = std::fopen(output.c_str(), "wb");
        if (!out) error = output + ": cannot create", error_kind = 1;
      } else {
        auto s = store::Store::Open(store_url);
        if (!s.ok()) {
          error = s.status().message(), error_kind = 1;
        } else {
          db = std::move(*s);
          auto w = store::Writer::Begin(db.get(), {prov.version, prov.model, prov.dict, command});
          if (!w.ok())
            error = w.status().message(), error_kind = 1;
          else
            sw = std::move(*w);
        }
      }
      if (error.empty()) {
        ReaderOptions ropt;
        ropt.default_date = default_date_;
        DocumentReader reader(paths, ropt);
        pipeline::Runner::Hooks hooks;
        std::atomic<bool> stop{false};
        hooks.next = [&]() -> std::optional<pipeline::Input> {
          auto r = reader.Next();
          if (!r) return std::nullopt;
          pipeline::Input in;
          in.origin = std::move(r->origin);
          in.reject = std::move(r->reject);
          in.doc = std::move(r->doc);
          in.preparsed = r->preparsed;
          return in;
        };
        hooks.finish = [&](pipeline::Output& o) {
          if (!o.reject.empty()) return;
          if (out) {
            writer_->AppendDocument(o.events, &o.text, &o.doc);
            o.doc.sentences.clear();
            o.doc.sentences.shrink_to_fit();
          }
        };
        hooks.consume = [&](pipeline::Output& o) {
          if (!o.reject.empty()) {
            rejected.emplace_back(o.origin, o.reject);
            return;
          }
          ++docs;
          sentences += o.sentences;
          parsed += o.parsed;
          n_events += o.events.size();
          for (const auto& p : o.problems) rejected.emplace_back(o.origin, p);
          if (out) {
            if (std::fwrite(o.text.data(), 1, o.text.size(), out) != o.text.size() &&
                error.empty())
              error = output + ": write failed (disk full?)", error_kind = 1, stop = true;
          } else if (error.empty()) {
            Status st = sw->Add(o.doc, o.events);
            if (!st.ok()) error = st.message(), error_kind = 1, stop = true;
          }
        };
        runner_->Run(n_threads, hooks, &stop);
        if (out && (std::fflush(out) != 0 || std::ferror(out)) && error.empty())
          error = output + ": write failed (disk full?)", error_kind = 1;
        if (sw && error.empty()) {
          Status st = sw->Finish();
          if (!st.ok()) error = st.message(), error_kind = 1;
        }
      }
      if (out && std::fclose(out) != 0 && error.empty())
        error = output + ": write failed", error_kind = 1;
    }
    if (!error.empty()) {
      PyErr_SetString(error_kind == 1 ? PyExc_OSError : PyExc_ValueError, error.c_str());
      throw py::error_already_set();
    }
    py::dict result;
    result["documents"] = docs;
    result["sentences"] = sentences;
    result["parsed"] = parsed;
    result["events"] = n_events;
    py::list rl;
    for (const auto& [origin, why] : rejected) {
      py::dict r;
      r["origin"] = origin;
      r["error"] = why;
      rl.append(r);
    }
    result["rejects"] = rl;
    return result;
  }

  std::string model_fingerprint() const { return HexFingerprint(loaded_->nlp->fingerprint()); }
  std::string dict_fingerprint() const { return HexFingerprint(loaded_->dict->fingerprint()); }
  int threads() const { return threads_; }
  const std::string& model_path() const { return model_path_; }
  const std::string& dict_path() const { return dict_path_; }

 private:
  int threads_;
  std::string model_path_, dict_path_, default_date_;
  std::unique_ptr<Loaded> loaded_;
  std::unique_ptr<pipeline::Runner> runner_;
  std::unique_ptr<EventWriter> writer_;
};

}  // namespace
}  // namespace dyad::python

PYBIND11_MODULE(_dyad, m) {
  using dyad::python::PyCoder;
  m.doc() = "dyad's event pipeline: news text -> CAMEO events (see the dyad package).";
  m.attr("__version__") = DYAD_VERSION;
  m.attr("DEFAULT_DICTIONARY_FILE") = std::string(dyad::dict::kDefaultDictionaryFile);
  m.def(
      "normalize_date",
      [](const std::string& d) { return dyad::python::NormalizeDateOrThrow(d); }, py::arg("date"),
      "A news date (2026-03-03, 20260303, March 3, 2026, ...) as YYYY-MM-DD; ValueError "
      "otherwise.");
  py::class_<PyCoder>(m, "_Coder")
      .def(py::init<const std::string&, const std::string&, int, const std::string&, int,
                    const std::string&>(),
           py::arg("model"), py::arg("dictionary"), py::arg("threads") = 1,
           py::arg("default_date") = "", py::arg("max_sentence_words") = 250,
           py::arg("gazetteer") = "")
      .def("code", &PyCoder::Code, py::arg("text"), py::arg("date") = py::none(),
           py::arg("doc_id") = "")
      .def("code_documents", &PyCoder::CodeDocuments, py::arg("documents"),
           py::arg("threads") = py::none(), py::arg("rejects") = py::none())
      .def("code_files", &PyCoder::CodeFiles, py::arg("paths"), py::arg("output") = "",
           py::arg("store") = "", py::arg("threads") = py::none(), py::arg("command") = "")
      .def_property_readonly("model_fingerprint", &PyCoder::model_fingerprint)
      .def_property_readonly("dict_fingerprint", &PyCoder::dict_fingerprint)
      .def_property_readonly("threads", &PyCoder::threads)
      .def_property_readonly("model_path", &PyCoder::model_path)
      .def_property_readonly("dict_path", &PyCoder::dict_path);
}
