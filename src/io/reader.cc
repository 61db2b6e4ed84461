// DocumentReader: paths -> records (documents or rejections), one format at a time.
#include "dyad/reader.h"

#include <algorithm>
#include <cctype>
#include <deque>
#include <filesystem>
#include <system_error>

#include "dyad/conllu.h"
#include "dyad/json.h"
#include "dyad/petrarch_xml.h"
#include "dyad/text.h"
#include "io/reader_internal.h"

namespace dyad {

using reader_internal::Decoded;
using reader_internal::DecodeText;
using reader_internal::HumanBytes;
using reader_internal::LineReader;

namespace {

namespace fs = std::filesystem;

std::string LowerAscii(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

bool Blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\f\v") == std::string_view::npos;
}

// Raw JSON text of a value (for Document::extra).
void AppendJson(const JsonValue& v, std::string* out) {
  switch (v.type) {
    case JsonValue::Type::kNull: *out += "null"; break;
    case JsonValue::Type::kBool: *out += v.boolean ? "true" : "false"; break;
    case JsonValue::Type::kNumber: *out += v.str; break;
    case JsonValue::Type::kString: AppendJsonString(text::RepairUtf8(v.str), out); break;
    case JsonValue::Type::kArray:
      *out += '[';
      for (size_t i = 0; i < v.array.size(); ++i) {
        if (i) *out += ',';
        AppendJson(v.array[i], out);
      }
      *out += ']';
      break;
    case JsonValue::Type::kObject:
      *out += '{';
      for (size_t i = 0; i < v.object.size(); ++i) {
        if (i) *out += ',';
        AppendJsonString(text::RepairUtf8(v.object[i].first), out);
        *out += ':';
        AppendJson(v.object[i].second, out);
      }
      *out += '}';
      break;
  }
}

// Sniffs the format of stdin from its first bytes.
std::string SniffFormat(std::string_view head) {
  if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
  size_t b = head.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "text";
  head.remove_prefix(b);
  std::string low = LowerAscii(head.substr(0, 4096));
  if (head[0] == '{') return "jsonl";
  if (low.starts_with("<!doctype html") || low.starts_with("<html")) return "html";
  if (low.starts_with("<?xml") || low.starts_with("<sentences") ||
      low.starts_with("<articles") || low.starts_with("<validation") ||
      low.starts_with("<sentence ") || low.starts_with("<article ")) {
    return low.find("<html") != std::string::npos ? "html" : "petrarch-xml";
  }
  if (low.starts_with("# sent_id") || low.starts_with("# newdoc") ||
      low.starts_with("# text =") || low.starts_with("# newpar"))
    return "conllu";
  size_t i = 0;
  while (i < head.size() && std::isdigit(static_cast<unsigned char>(head[i]))) ++i;
  if (i > 0 && i < head.size() && head[i] == '\t') {
    size_t nl = head.find('\n');
    std::string_view line = head.substr(0, nl);
    if (std::count(line.begin(), line.end(), '\t') == 9) return "conllu";
  }
  return "text";
}

// Heads form a tree: following heads from any word reaches 0 (iterative, linear).
bool HeadsAreTree(const Sentence& s) {
  const size_t n = s.words.size();
  std::vector<uint8_t> state(n, 0);  // 0 unseen, 1 on the current path, 2 reaches the root
  std::vector<size_t> path;
  for (size_t start = 0; start < n; ++start) {
    size_t w = start;
    path.clear();
    while (true) {
      if (state[w] == 2) break;
      if (state[w] == 1) return false;  // a cycle
      state[w] = 1;
      path.push_back(w);
      int h = s.words[w].head;
      if (h <= 0) break;
      w = static_cast<size_t>(h - 1);
    }
    for (size_t p : path) state[p] = 2;
  }
  return true;
}

struct Input {
  std::string path;     // as given ("-" for stdin)
  std::string name;     // as shown in messages
  bool walked = false;  // found by walking a directory
};

}  // namespace

std::string FormatForPath(std::string_view path) {
  std::string p = LowerAscii(path);
  for (std::string_view suf : {".gz", ".gzip", ".zst", ".zstd"})
    if (p.size() > suf.size() && p.ends_with(suf)) {
      p.resize(p.size() - suf.size());
      break;
    }
  size_t slash = p.find_last_of('/');
  size_t dot = p.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "text";
  std::string ext = p.substr(dot + 1);
  if (ext == "jsonl" || ext == "json" || ext == "ndjson") return "jsonl";
  if (ext == "xml") return "petrarch-xml";
  if (ext == "html" || ext == "htm" || ext == "xhtml" || ext == "shtml") return "html";
  if (ext == "conllu" || ext == "conll") return "conllu";
  return "text";
}

struct DocumentReader::Impl {
  ReaderOptions opt;
  std::deque<Input> inputs;
  std::deque<ReaderRecord> ready;
  size_t documents = 0, rejections = 0;
  bool open_failed = false;
  uint64_t bytes_done = 0;

  // The input being read.
  bool active = false;
  Input cur;
  std::string format;
  std::unique_ptr<LineReader> lines;
  std::unique_ptr<PetrarchXmlReader> xml;
  size_t file_records = 0;
  size_t chunk_no = 0;
  // Text: the chunk being collected.
  std::string chunk;
  size_t chunk_line = 0;
  // CoNLL-U: the document being collected.
  ReaderRecord conllu_doc;
  bool conllu_has_doc = false;
  std::string conllu_doc_id;
  size_t conllu_chunk = 0;

  // ---- records ----

  void Emit(ReaderRecord r) {
    ++file_records;
    if (r.format.empty()) r.format = format;
    ready.push_back(std::move(r));
  }
  void Reject(std::string origin, std::string why, bool file_error = false) {
    ReaderRecord r;
    r.origin = std::move(origin);
    r.reject = std::move(why);
    r.file_error = file_error;
    Emit(std::move(r));
  }
  std::string At(size_t line) const { return cur.name + ":" + std::to_string(line); }

  // Sets the date (normalised, or the default); false (and r rejected) when it is bad.
  bool SetDate(ReaderRecord* r, std::string_view raw) {
    if (raw.empty()) {
      r->doc.date = opt.default_date;
      return true;
    }
    auto d = NormalizeNewsDate(raw);
    if (!d.ok()) {
      r->reject = d.status().message();
      return false;
    }
    r->doc.date = *d;
    return true;
  }

  bool CheckSize(ReaderRecord* r) {
    if (r->doc.text.size() <= opt.max_document_bytes) return true;
    r->reject = "document of " + HumanBytes(r->doc.text.size()) + " exceeds --max-doc-bytes (" +
                HumanBytes(opt.max_document_bytes) + ")";
    r->doc.text.clear();
    r->doc.sentences.clear();
    return false;
  }

  std::string TooLong(uint64_t len, size_t max, const char* flag) {
    return "line of " + HumanBytes(len) + " exceeds " + flag + " (" + HumanBytes(max) +
           "); skipped";
  }

  // ---- opening ----

  void Expand(const Input& dir) {
    std::error_code ec;
    std::vector<Input> found;
    fs::directory_iterator it(dir.path, ec), end;
    if (ec) {
      open_failed = true;
      ReaderRecord r;
      r.origin = dir.name;
      r.reject = "cannot read directory: " + ec.message();
      r.file_error = true;
      ready.push_back(std::move(r));
      return;
    }
    for (; it != end; it.increment(ec)) {
      if (ec) break;
      std::string leaf = it->path().filename().string();
      if (leaf.empty() || leaf[0] == '.') continue;
      std::string p = dir.path;
      if (!p.ends_with('/')) p += '/';
      p += leaf;
      found.push_back({p, p, true});
    }
    std::sort(found.begin(), found.end(),
              [](const Input& a, const Input& b) { return a.path < b.path; });
    for (size_t i = found.size(); i-- > 0;) inputs.push_front(std::move(found[i]));
  }

  // Opens the next input; false when there is none left. Directories are expanded.
  bool OpenNext() {
    while (!inputs.empty()) {
      Input in = std::move(inputs.front());
      inputs.pop_front();
      if (in.path != "-") {
        std::error_code ec;
        auto st = fs::status(in.path, ec);  // follows links
        if (!ec && fs::is_directory(st)) {
          std::error_code ec2;
          if (in.walked && fs::is_symlink(fs::symlink_status(in.path, ec2))) {
            // A link to a directory met while walking could loop: named ones are followed.
            ReaderRecord r;
            r.origin = in.name;
            r.reject = "a link to a directory inside a walked directory: not followed";
            ready.push_back(std::move(r));
            return false;
          }
          Expand(in);
          if (!ready.empty()) return false;
          continue;
        }
        if (!ec && !fs::is_regular_file(st)) {
          ReaderRecord r;
          r.origin = in.name;
          r.reject = "not a regular file";
          r.file_error = true;
          ready.push_back(std::move(r));
          return false;
        }
      }
      cur = in;
      if (cur.path == "-") cur.name = "<stdin>";
      file_records = 0;
      chunk_no = 0;
      chunk.clear();
      conllu_has_doc = false;
      conllu_chunk = 0;
      conllu_doc_id.clear();
      std::string compression;
      auto src = reader_internal::OpenByteSource(cur.path, &compression);
      if (!src.ok()) {
        open_failed = true;
        format = opt.format.empty() ? FormatForPath(cur.path) : opt.format;
        Reject(cur.name, src.status().message(), true);
        return false;
      }
      lines = std::make_unique<LineReader>(std::move(*src));
      format = opt.format;
      if (format.empty()) {
        if (cur.path == "-") {
          auto head = lines->Peek(4096);
          format = head.ok() ? SniffFormat(*head) : "text";
        } else {
          format = FormatForPath(cur.path);
        }
      }
      active = true;
      {
        auto h = lines->Peek(1);
        if (h.ok() && h->empty() && lines->error().ok()) {  // zero bytes, in any format
          Close();
          return false;
        }
      }
      // Byte-order marks: UTF-8 dropped; UTF-16 refused (except XML, which expat decodes).
      auto head = lines->Peek(3);
      if (head.ok() && format != "petrarch-xml") {
        std::string_view h = *head;
        if (h.starts_with("\xEF\xBB\xBF")) {
          char skip[3];
          (void)lines->Read(skip, 3);
        } else if (h.starts_with("\xFF\xFE") || h.starts_with("\xFE\xFF")) {
          Reject(cur.name,
                 "not UTF-8 and not repairable: UTF-16 text (convert it with "
                 "iconv -f UTF-16 -t UTF-8)",
                 true);
          Close();
          return false;
        }
      }
      if (format == "petrarch-xml") {
        PetrarchXmlLimits lim;
        lim.max_text_bytes = std::max(opt.max_line_bytes, opt.max_document_bytes);
        lim.max_token_bytes = std::min<size_t>(lim.max_text_bytes, 4u << 20);
        LineReader* lr = lines.get();
        xml = PetrarchXmlReader::FromStream(
            [lr](char* buf, size_t cap) { return lr->Read(buf, cap); }, cur.name, lim);
      } else if (format != "text" && format != "jsonl" && format != "html" &&
                 format != "conllu") {
        Reject(cur.name, "unknown input format '" + format +
                             "' (text, jsonl, petrarch-xml, html or conllu)",
               true);
        Close();
        return false;
      }
      return true;
    }
    return false;
  }

  void Close() {
    if (lines) bytes_done += lines->raw_bytes();
    if (active && file_records == 0)
      Reject(cur.name, "the file holds no documents (it is empty or blank)");
    xml.reset();
    lines.reset();
    active = false;
  }

  // ---- formats: each Step reads until it has queued a record or closed the input ----

  void StepJsonl() {
    std::string line;
    uint64_t len = 0;
    Status err;
    while (true) {
      auto got = lines->Next(&line, opt.max_line_bytes, &len, &err);
      if (got == LineReader::Got::kEnd) return Close();
      if (got == LineReader::Got::kError) {
        Reject(At(lines->line_no()), err.message(), true);
        return Close();
      }
      size_t ln = lines->line_no();
      if (got == LineReader::Got::kTooLong)
        return Reject(At(ln), TooLong(len, opt.max_line_bytes, "--max-line-bytes"));
      if (Blank(line)) continue;
      ReaderRecord r;
      r.origin = At(ln);
      auto v = ParseJson(line);
      if (!v.ok()) {
        r.reject = v.status().message();
      } else if (v->type != JsonValue::Type::kObject) {
        r.reject = "not a JSON object";
      } else {
        const JsonValue* text = v->Find("text");
        const JsonValue* id = v->Find("id");
        if (id && !id->AsText().empty()) r.doc.id = text::RepairUtf8(id->AsText());
        if (r.doc.id.empty()) r.doc.id = r.origin;
        if (!text || !text->is_string()) {
          r.reject = "missing string field \"text\"";
        } else {
          auto d = DecodeText(text->str);
          if (!d.ok()) {
            r.reject = d.status().message();
          } else {
            r.doc.text = std::move(d->text);
            r.repaired = d->repaired;
            r.encoding = d->encoding;
          }
        }
        std::string raw_date;
        for (const auto& [k, val] : v->object) {
          if (k == "text" || k == "id") continue;
          bool scalar = val.type != JsonValue::Type::kArray &&
                        val.type != JsonValue::Type::kObject;
          if (scalar && k == "date") raw_date = val.AsText();
          else if (scalar && k == "title") r.doc.title = text::RepairUtf8(val.AsText());
          else if (scalar && k == "source") r.doc.source = text::RepairUtf8(val.AsText());
          else if (scalar && k == "url") r.doc.url = text::RepairUtf8(val.AsText());
          else {
            std::string raw;
            AppendJson(val, &raw);
            r.doc.extra.emplace_back(text::RepairUtf8(k), std::move(raw));
          }
        }
        if (r.reject.empty() && SetDate(&r, raw_date)) CheckSize(&r);
      }
      if (!r.ok()) {
        r.doc.text.clear();
        r.doc.extra.clear();
      }
      return Emit(std::move(r));
    }
  }

  void EmitChunk() {
    if (Blank(chunk) || chunk.find_first_not_of(" \t\r\n\f\v") == std::string::npos) {
      chunk.clear();
      return;
    }
    ReaderRecord r;
    r.origin = At(chunk_line);
    r.doc.id = chunk_no == 0 ? cur.name : cur.name + "#" + std::to_string(chunk_no);
    ++chunk_no;
    auto d = DecodeText(chunk);
    chunk.clear();
    if (!d.ok()) {
      r.reject = d.status().message();
    } else {
      r.doc.text = std::move(d->text);
      r.repaired = d->repaired;
      r.encoding = d->encoding;
      if (SetDate(&r, "")) CheckSize(&r);
    }
    Emit(std::move(r));
  }

  void StepText() {
    std::string line;
    uint64_t len = 0;
    Status err;
    // A line with its newline must fit in a document.
    const size_t max = std::min(opt.max_line_bytes,
                                opt.max_document_bytes > 1 ? opt.max_document_bytes - 1 : 1);
    size_t before = ready.size();
    while (ready.size() == before) {
      auto got = lines->Next(&line, max, &len, &err);
      if (got == LineReader::Got::kEnd) {
        EmitChunk();
        return Close();
      }
      if (got == LineReader::Got::kError) {
        EmitChunk();
        Reject(At(lines->line_no()), err.message(), true);
        return Close();
      }
      size_t ln = lines->line_no();
      if (got == LineReader::Got::kTooLong) {
        EmitChunk();
        Reject(At(ln), TooLong(len, max,
                               max < opt.max_line_bytes ? "--max-doc-bytes"
                                                        : "--max-line-bytes"));
        continue;
      }
      // A chunk never grows past the document limit: cut at this line end.
      if (!chunk.empty() && chunk.size() + line.size() + 1 > opt.max_document_bytes) EmitChunk();
      if (chunk.empty()) chunk_line = ln;
      chunk += line;
      chunk += '\n';
      if (Blank(line) && chunk.size() >= opt.text_chunk_bytes) EmitChunk();
    }
  }

  void StepXml() {
    auto r = xml->Next();
    if (!r.ok()) {
      // "origin:line:col: what" -> origin "file:line", reason "what".
      std::string msg = r.status().message();
      std::string origin = cur.name, why = msg;
      if (msg.starts_with(cur.name + ":")) {
        std::string rest = msg.substr(cur.name.size() + 1);
        size_t i = 0;
        while (i < rest.size() && std::isdigit(static_cast<unsigned char>(rest[i]))) ++i;
        if (i > 0) {
          origin = cur.name + ":" + rest.substr(0, i);
          rest = rest.substr(i);
          while (!rest.empty() && (rest[0] == ':' || std::isdigit(static_cast<unsigned char>(rest[0]))))
            rest.erase(0, 1);
          while (!rest.empty() && rest[0] == ' ') rest.erase(0, 1);
        }
        why = rest;
      }
      Reject(origin, why + " (the rest of the file was not read)", true);
      return Close();
    }
    if (!*r) return Close();
    PetrarchRecord& p = **r;
    ReaderRecord rec;
    rec.origin = At(p.line);
    rec.petrarch_config = !p.config.empty();
    rec.doc.id = p.id.empty() ? rec.origin : p.id;
    if (!p.problem.empty()) {
      rec.reject = p.problem;
      return Emit(std::move(rec));
    }
    auto d = DecodeText(p.text);
    if (!d.ok()) {
      rec.reject = d.status().message();
      return Emit(std::move(rec));
    }
    rec.doc.text = std::move(d->text);
    rec.repaired = d->repaired;
    rec.doc.source = std::move(p.source);
    for (const auto& [name, value] : p.attributes)
      if (name == "url") rec.doc.url = value;
    if (!p.date.empty()) rec.doc.date = p.date;
    else SetDate(&rec, p.raw_date);
    if (rec.ok()) CheckSize(&rec);
    Emit(std::move(rec));
  }

  void StepHtml() {
    std::string data;
    const size_t limit = opt.max_file_bytes;
    std::vector<char> buf(64u << 10);
    while (true) {
      auto n = lines->Read(buf.data(), buf.size());
      if (!n.ok()) {
        Reject(cur.name, n.status().message(), true);
        return Close();
      }
      if (*n == 0) break;
      if (data.size() + *n > limit) {
        Reject(cur.name, "HTML file larger than " + HumanBytes(limit) + "; not read", true);
        return Close();
      }
      data.append(buf.data(), *n);
    }
    if (Blank(data)) return Close();  // reported as an empty file
    ReaderRecord r;
    r.origin = cur.name;
    r.doc.id = cur.name;
    auto d = DecodeText(data);
    if (!d.ok()) {
      r.reject = d.status().message();
      Emit(std::move(r));
      return Close();
    }
    r.repaired = d->repaired;
    r.encoding = d->encoding;
    auto a = ExtractHtmlArticle(d->text, opt.max_html_depth);
    if (!a.ok()) {
      r.reject = a.status().message();
    } else {
      r.doc.title = std::move(a->title);
      r.doc.url = std::move(a->url);
      r.doc.text = std::move(a->text);
      auto date = NormalizeNewsDate(a->date);
      r.doc.date = !a->date.empty() && date.ok() ? *date : opt.default_date;
      if (r.doc.text.empty()) r.reject = "no article text found in the HTML";
      else CheckSize(&r);
    }
    Emit(std::move(r));
    Close();
  }

  // CoNLL-U: one sentence block per call at most.
  void FlushConllu() {
    if (!conllu_has_doc) return;
    conllu_has_doc = false;
    ReaderRecord r = std::move(conllu_doc);
    conllu_doc = ReaderRecord();
    r.doc.id = (conllu_doc_id.empty() ? cur.name : conllu_doc_id) +
               (conllu_chunk ? "#" + std::to_string(conllu_chunk) : "");
    ++conllu_chunk;
    r.pretokenized = true;
    r.preparsed = true;
    for (const auto& s : r.doc.sentences)
      for (const auto& w : s.words)
        if (w.head < 0 || w.upos.empty() || w.upos == "_") r.preparsed = false;
    SetDate(&r, "");
    Emit(std::move(r));
  }

  void AddConlluBlock(const std::string& block, size_t first_line) {
    auto d = DecodeText(block);
    if (!d.ok()) return Reject(At(first_line), d.status().message());
    auto c = ReadConllu(d->text, "");
    if (!c.ok()) {
      // ":N: what" (N within the block) -> the file's line.
      std::string msg = c.status().message();
      size_t line = first_line;
      if (msg.starts_with(":")) {
        size_t i = 1;
        size_t n = 0;
        while (i < msg.size() && std::isdigit(static_cast<unsigned char>(msg[i])))
          n = n * 10 + static_cast<size_t>(msg[i++] - '0');
        if (i > 1 && i < msg.size() && msg[i] == ':') {
          line = first_line + n - 1;
          msg = msg.substr(i + 1);
        } else {
          msg = msg.substr(1);
        }
        while (!msg.empty() && msg[0] == ' ') msg.erase(0, 1);
      }
      return Reject(At(line), "CoNLL-U: " + msg);
    }
    ConlluCorpus& corpus = *c;
    for (Sentence& s : corpus.sentences) {
      if (s.words.empty() && s.tokens.empty()) continue;  // only comments ("# newdoc")
      if (s.words.empty()) return Reject(At(first_line), "CoNLL-U: a sentence without words");
      for (const Token& t : s.tokens)
        if (t.first_word > t.last_word || t.last_word >= s.words.size())
          return Reject(At(first_line), "CoNLL-U: a multiword token without its words");
      bool parsed = true;
      for (const Word& w : s.words) parsed &= w.head >= 0;
      if (parsed && !HeadsAreTree(s))
        return Reject(At(first_line), "CoNLL-U: the heads of sentence '" + s.id +
                                          "' form a cycle");
    }
    if (corpus.text.size() > opt.max_document_bytes)
      return Reject(At(first_line), "sentence of " + HumanBytes(corpus.text.size()) +
                                        " exceeds --max-doc-bytes (" +
                                        HumanBytes(opt.max_document_bytes) + ")");
    for (Sentence& s : corpus.sentences) {
      std::string newdoc;
      for (const auto& cm : s.comments)
        if (cm.starts_with("newdoc")) newdoc = cm;
      if (!newdoc.empty()) {
        FlushConllu();
        size_t eq = newdoc.find('=');
        conllu_doc_id.clear();
        if (eq != std::string::npos) {
          std::string id = newdoc.substr(eq + 1);
          size_t b = id.find_first_not_of(' ');
          conllu_doc_id = b == std::string::npos ? "" : id.substr(b);
        }
        conllu_chunk = 0;
      }
      if (s.words.empty()) continue;
      // Documents stay within the limit: a sentence that would overflow starts the next one.
      if (conllu_has_doc &&
          conllu_doc.doc.text.size() + 2 + (s.span.end - s.span.begin) > opt.max_document_bytes)
        FlushConllu();
      if (!conllu_has_doc) {
        conllu_has_doc = true;
        conllu_doc = ReaderRecord();
        conllu_doc.origin = At(first_line);
      }
      std::string& text = conllu_doc.doc.text;
      if (!text.empty()) text += (s.new_paragraph || s.new_document) ? "\n\n" : " ";
      uint32_t shift = static_cast<uint32_t>(text.size());
      uint32_t base = s.span.begin;
      text.append(corpus.text, s.span.begin, s.span.end - s.span.begin);
      s.span.begin = s.span.begin - base + shift;
      s.span.end = s.span.end - base + shift;
      for (Token& t : s.tokens) {
        t.span.begin = t.span.begin - base + shift;
        t.span.end = t.span.end - base + shift;
      }
      conllu_doc.repaired += d->repaired;
      conllu_doc.doc.sentences.push_back(std::move(s));
    }
    if (conllu_has_doc && conllu_doc.doc.text.size() >= opt.text_chunk_bytes) FlushConllu();
  }

  void StepConllu() {
    std::string line, block;
    uint64_t len = 0;
    Status err;
    size_t first = 0;
    std::string bad;  // why the current block is being skipped
    size_t before = ready.size();
    while (ready.size() == before) {
      auto got = lines->Next(&line, opt.max_line_bytes, &len, &err);
      if (got == LineReader::Got::kError) {
        FlushConllu();
        Reject(At(lines->line_no()), err.message(), true);
        return Close();
      }
      bool end = got == LineReader::Got::kEnd;
      if (!end && got == LineReader::Got::kTooLong && bad.empty()) {
        if (!first) first = lines->line_no();
        bad = TooLong(len, opt.max_line_bytes, "--max-line-bytes");
        block.clear();
        continue;
      }
      if (end || Blank(line)) {
        if (!bad.empty()) {
          Reject(At(first), bad + " (its sentence was skipped)");
        } else if (!block.empty()) {
          AddConlluBlock(block, first);
        }
        block.clear();
        bad.clear();
        first = 0;
        if (end) {
          FlushConllu();
          return Close();
        }
        continue;
      }
      if (!bad.empty()) continue;
      if (!first) first = lines->line_no();
      if (block.size() + line.size() + 1 > opt.max_file_bytes) {
        bad = "sentence block larger than " + HumanBytes(opt.max_file_bytes);
        block.clear();
        continue;
      }
      block += line;
      block += '\n';
    }
  }

  void Step() {
    if (format == "jsonl") return StepJsonl();
    if (format == "petrarch-xml") return StepXml();
    if (format == "html") return StepHtml();
    if (format == "conllu") return StepConllu();
    return StepText();
  }
};

DocumentReader::DocumentReader(std::vector<std::string> paths, ReaderOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->opt = std::move(options);
  if (impl_->opt.max_document_bytes == 0) impl_->opt.max_document_bytes = 1;
  if (impl_->opt.max_line_bytes == 0) impl_->opt.max_line_bytes = 1;
  if (impl_->opt.text_chunk_bytes == 0) impl_->opt.text_chunk_bytes = 1;
  if (paths.empty()) paths.push_back("-");
  for (auto& p : paths) impl_->inputs.push_back({p, p, false});
}

DocumentReader::~DocumentReader() = default;

std::optional<ReaderRecord> DocumentReader::Next() {
  Impl& m = *impl_;
  while (true) {
    if (!m.ready.empty()) {
      ReaderRecord r = std::move(m.ready.front());
      m.ready.pop_front();
      if (r.ok()) ++m.documents;
      else ++m.rejections;
      return r;
    }
    if (m.active) {
      m.Step();
      continue;
    }
    if (!m.OpenNext() && m.ready.empty() && m.inputs.empty() && !m.active) return std::nullopt;
  }
}

size_t DocumentReader::documents() const { return impl_->documents; }
size_t DocumentReader::rejections() const { return impl_->rejections; }
bool DocumentReader::open_failed() const { return impl_->open_failed; }
uint64_t DocumentReader::bytes_read() const {
  return impl_->bytes_done + (impl_->lines ? impl_->lines->raw_bytes() : 0);
}

uint64_t DocumentReader::InputBytes(const std::vector<std::string>& paths) {
  uint64_t total = 0;
  std::vector<std::string> todo(paths.rbegin(), paths.rend());
  while (!todo.empty()) {
    std::string p = std::move(todo.back());
    todo.pop_back();
    if (p == "-") continue;
    std::error_code ec;
    auto st = fs::status(p, ec);
    if (ec) continue;
    if (fs::is_regular_file(st)) {
      uint64_t n = fs::file_size(p, ec);
      if (!ec) total += n;
    } else if (fs::is_directory(st) && !fs::is_symlink(fs::symlink_status(p, ec))) {
      for (fs::directory_iterator it(p, ec), end; !ec && it != end; it.increment(ec)) {
        std::string leaf = it->path().filename().string();
        if (!leaf.empty() && leaf[0] != '.') todo.push_back(it->path().string());
      }
    }
  }
  return total;
}

}  // namespace dyad
