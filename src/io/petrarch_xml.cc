#include "dyad/petrarch_xml.h"

#include <expat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>

namespace dyad {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && IsSpace(s[b])) ++b;
  while (e > b && IsSpace(s[e - 1])) --e;
  return std::string(s.substr(b, e - b));
}

// White space runs that hold a line break become one blank; other runs stay as written.
std::string JoinLines(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    if (!IsSpace(s[i])) {
      out += s[i++];
      continue;
    }
    size_t j = i;
    bool line_break = false;
    while (j < s.size() && IsSpace(s[j])) line_break |= s[j] == '\n' || s[j] == '\r', ++j;
    if (line_break)
      out += ' ';
    else
      out.append(s.substr(i, j - i));
    i = j;
  }
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

const char* Attr(const XML_Char** atts, const char* name) {
  for (int i = 0; atts[i]; i += 2)
    if (std::strcmp(atts[i], name) == 0) return atts[i + 1];
  return nullptr;
}

std::vector<std::string> SplitCommas(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find(',', start);
    if (comma == std::string_view::npos) comma = s.size();
    std::string item = Trim(s.substr(start, comma - start));
    if (!item.empty()) out.push_back(std::move(item));
    start = comma + 1;
  }
  return out;
}

}  // namespace

std::string NormalizePetrarchDate(std::string_view date) {
  std::string digits;
  if (date.size() == 8) {
    digits = std::string(date);
  } else if (date.size() == 10 && date[4] == '-' && date[7] == '-') {
    digits = std::string(date.substr(0, 4)) + std::string(date.substr(5, 2)) +
             std::string(date.substr(8, 2));
  } else {
    return "";
  }
  for (char c : digits)
    if (c < '0' || c > '9') return "";
  int y = std::stoi(digits.substr(0, 4)), m = std::stoi(digits.substr(4, 2)),
      d = std::stoi(digits.substr(6, 2));
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > kDays[m - 1]) return "";
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (m == 2 && d == 29 && !leap) return "";
  return digits.substr(0, 4) + "-" + digits.substr(4, 2) + "-" + digits.substr(6, 2);
}

bool PetrarchTrue(std::string_view value) {
  std::string v = Trim(value);
  return EqualsIgnoreCase(v, "true") || EqualsIgnoreCase(v, "yes") || v == "1";
}

struct PetrarchXmlReader::Impl {
  std::string origin;
  PetrarchXmlLimits limits;
  XML_Parser parser = nullptr;

  // Input: a file, or a string in memory.
  FILE* file = nullptr;
  bool owns_file = false;
  std::function<Result<size_t>(char*, size_t)> stream;
  std::string data;
  size_t data_pos = 0;
  std::vector<char> buf;
  uint64_t fed = 0;         // bytes handed to expat so far
  uint64_t last_event = 0;  // byte index of the last event expat reported

  std::deque<PetrarchRecord> ready;
  PetrarchEnvironment env;
  std::vector<PetrarchOption> pending_config;

  int depth = 0;
  int env_depth = 0;     // depth of <Environment> while inside it, else 0
  int record_depth = 0;  // depth of the open record, else 0
  std::optional<PetrarchRecord> record;
  bool record_has_text = false;
  // Character data is kept only while `capture` is set, for the element at capture_depth
  // (and whatever it contains).
  std::string* capture = nullptr;
  int capture_depth = 0;
  std::string text_buf, env_child_text, env_child_name;

  bool finished = false;  // expat has seen the end (or stopped)
  bool stopped = false;
  uint32_t stop_line = 0;
  bool error_reported = false;
  Status error;

  ~Impl() {
    if (parser) XML_ParserFree(parser);
    if (file && owns_file) std::fclose(file);
  }

  uint32_t Line() const { return static_cast<uint32_t>(XML_GetCurrentLineNumber(parser)); }
  void Touch() {
    XML_Index i = XML_GetCurrentByteIndex(parser);
    if (i >= 0) last_event = static_cast<uint64_t>(i);
  }

  void Fail(const std::string& message) {
    if (!error.ok()) return;
    error = Status::Error(origin + ":" + std::to_string(Line()) + ": " + message);
    XML_StopParser(parser, XML_FALSE);
  }

  void Init() {
    parser = XML_ParserCreate("UTF-8");
    XML_SetUserData(parser, this);
    XML_SetElementHandler(parser, &StartThunk, &EndThunk);
    XML_SetCharacterDataHandler(parser, &CharThunk);
    XML_SetCommentHandler(parser, [](void* u, const XML_Char*) { static_cast<Impl*>(u)->Touch(); });
    // Nothing but the predefined entities and character references ever expands.
    XML_SetParamEntityParsing(parser, XML_PARAM_ENTITY_PARSING_NEVER);
    XML_SetStartDoctypeDeclHandler(
        parser, [](void* u, const XML_Char*, const XML_Char*, const XML_Char*, int internal) {
          if (internal)
            static_cast<Impl*>(u)->Fail(
                "a DOCTYPE with an internal subset is refused (its entity declarations could "
                "expand without bound); remove the DOCTYPE");
        });
    XML_SetEntityDeclHandler(
        parser, [](void* u, const XML_Char* name, int, const XML_Char*, int, const XML_Char*,
                   const XML_Char*, const XML_Char*, const XML_Char*) {
          static_cast<Impl*>(u)->Fail(std::string("entity declarations are refused (entity '") +
                                      name + "')");
        });
    XML_SetSkippedEntityHandler(parser, [](void* u, const XML_Char* name, int) {
      static_cast<Impl*>(u)->Fail(std::string("undefined entity &") + name +
                                  "; (write & as &amp;)");
    });
    XML_SetExternalEntityRefHandler(
        parser,
        [](XML_Parser, const XML_Char*, const XML_Char*, const XML_Char*, const XML_Char*) -> int {
          return XML_STATUS_ERROR;
        });
    buf.resize(limits.chunk_bytes ? limits.chunk_bytes : 65536);
  }

  static void XMLCALL StartThunk(void* u, const XML_Char* name, const XML_Char** atts) {
    static_cast<Impl*>(u)->Start(name, atts);
  }
  static void XMLCALL EndThunk(void* u, const XML_Char* name) { static_cast<Impl*>(u)->End(name); }
  static void XMLCALL CharThunk(void* u, const XML_Char* s, int len) {
    static_cast<Impl*>(u)->Chars(s, len);
  }

  void BeginCapture(std::string* into) {
    into->clear();
    capture = into;
    capture_depth = depth;
  }

  PetrarchOption ReadOption(const XML_Char** atts) {
    PetrarchOption o;
    const char* n = Attr(atts, "option");
    const char* v = Attr(atts, "value");
    o.name = n ? Trim(n) : "";
    o.value = v ? Trim(v) : "";
    o.line = Line();
    if (!n) Fail("<Config> without option=");
    return o;
  }

  void Start(const XML_Char* name, const XML_Char** atts) {
    Touch();
    if (!error.ok() || stopped) return;
    ++depth;
    if (depth > limits.max_depth) {
      Fail("elements nested deeper than " + std::to_string(limits.max_depth));
      return;
    }
    std::string_view n = name;
    if (record) {
      if (n == "Text" && !capture) {
        if (!record_has_text) record->text_line = Line();
        record_has_text = true;
        // Several <Text> elements are read as one text, separated by a line break.
        if (!text_buf.empty()) text_buf += '\n';
        capture = &text_buf;
        capture_depth = depth;
      } else if (n == "EventCoding") {
        ReadCoding(atts);
      } else if (n == "Config") {
        pending_config.push_back(ReadOption(atts));
      }
      return;
    }
    if (env_depth) {
      if (n == "Config") {
        env.options.push_back(ReadOption(atts));
      } else if (depth == env_depth + 1) {
        env_child_name = n;
        BeginCapture(&env_child_text);
      }
      return;
    }
    if (n == "Environment") {
      env.present = true;
      env.line = Line();
      env_depth = depth;
    } else if (n == "Sentence" || n == "Article") {
      StartRecord(
          n == "Sentence" ? PetrarchRecord::Kind::kSentence : PetrarchRecord::Kind::kArticle, atts);
    } else if (n == "Config") {
      pending_config.push_back(ReadOption(atts));
    } else if (n == "Stop") {
      stopped = true;
      stop_line = Line();
      XML_StopParser(parser, XML_FALSE);
    }
  }

  void StartRecord(PetrarchRecord::Kind kind, const XML_Char** atts) {
    record.emplace();
    PetrarchRecord& r = *record;
    r.kind = kind;
    r.line = Line();
    record_depth = depth;
    record_has_text = false;
    text_buf.clear();
    for (int i = 0; atts[i]; i += 2) r.attributes.emplace_back(atts[i], atts[i + 1]);
    if (const char* v = Attr(atts, "id")) r.id = Trim(v);
    if (const char* v = Attr(atts, "category")) r.category = Trim(v);
    if (const char* v = Attr(atts, "source")) r.source = Trim(v);
    if (const char* v = Attr(atts, "date")) {
      r.raw_date = Trim(v);
      r.date = NormalizePetrarchDate(r.raw_date);
      if (r.date.empty() && !r.raw_date.empty())
        r.problem = "date '" + r.raw_date + "' is not a date in the form YYYYMMDD";
    }
  }

  void ReadCoding(const XML_Char** atts) {
    PetrarchRecord& r = *record;
    r.has_coding = true;
    if (const char* v = Attr(atts, "noevents"); v && PetrarchTrue(v)) r.noevents = true;
    if (const char* v = Attr(atts, "error")) r.expected_error = Trim(v);
    const char* code = Attr(atts, "eventcode");
    const char* src = Attr(atts, "sourcecode");
    const char* tgt = Attr(atts, "targetcode");
    if (!code && !src && !tgt) return;
    if (!code || !*code) {
      if (r.problem.empty())
        r.problem = "<EventCoding> on line " + std::to_string(Line()) + " has no eventcode=";
      return;
    }
    PetrarchCoding c;
    c.source = src ? Trim(src) : "";
    c.target = tgt ? Trim(tgt) : "";
    c.code = Trim(code);
    c.line = Line();
    r.expected.push_back(std::move(c));
  }

  void End(const XML_Char* name) {
    Touch();
    if (!error.ok() || stopped) return;
    if (capture && depth == capture_depth) {
      if (capture == &env_child_text) EndEnvChild();
      capture = nullptr;
    }
    if (record && depth == record_depth) {
      EndRecord();
    } else if (env_depth && depth == env_depth) {
      env_depth = 0;
    }
    (void)name;  // expat has already checked that the tags match
    --depth;
  }

  void EndEnvChild() {
    std::string v = Trim(env_child_text);
    const std::string& n = env_child_name;
    if (n == "Verbfile") {
      env.verbs = v;
    } else if (n == "Actorfile") {
      for (auto& a : SplitCommas(v)) env.actors.push_back(std::move(a));
    } else if (n == "Agentfile") {
      env.agents = v;
    } else if (n == "Discardfile") {
      env.discards = v;
    } else if (n == "Issuefile") {
      env.issues = v;
    } else {
      env.other.emplace_back(n, v);
    }
    env_child_text.clear();
  }

  void EndRecord() {
    PetrarchRecord& r = *record;
    r.text = r.kind == PetrarchRecord::Kind::kSentence ? Trim(JoinLines(text_buf)) : Trim(text_buf);
    text_buf.clear();
    if (r.problem.empty()) {
      if (!record_has_text)
        r.problem = "no <Text> element";
      else if (r.text.empty())
        r.problem = "empty <Text>";
    }
    r.config = std::move(pending_config);
    pending_config.clear();
    ready.push_back(std::move(r));
    record.reset();
    record_depth = 0;
  }

  void Chars(const XML_Char* s, int len) {
    Touch();
    if (!capture || !error.ok()) return;
    size_t limit = capture == &text_buf ? limits.max_text_bytes : size_t{1} << 16;
    if (capture->size() + static_cast<size_t>(len) > limit) {
      Fail("text longer than " + std::to_string(limit) + " bytes");
      return;
    }
    capture->append(s, static_cast<size_t>(len));
  }

  // Feeds one more chunk to expat. Returns false when there is nothing more to read.
  bool Feed() {
    if (finished) return false;
    size_t n = 0;
    bool eof = false;
    if (stream) {
      auto r = stream(buf.data(), buf.size());
      if (!r.ok()) {
        error = Status::Error(origin + ":" + std::to_string(Line()) + ": " + r.status().message());
        finished = true;
        return false;
      }
      n = *r;
      eof = n == 0;
    } else if (file) {
      n = std::fread(buf.data(), 1, buf.size(), file);
      if (n < buf.size()) {
        if (std::ferror(file)) {
          error = Status::Error(origin + ": read error: " + std::strerror(errno));
          finished = true;
          return false;
        }
        eof = true;
      }
    } else {
      n = std::min(buf.size(), data.size() - data_pos);
      std::memcpy(buf.data(), data.data() + data_pos, n);
      data_pos += n;
      eof = data_pos == data.size();
    }
    XML_Status st = XML_Parse(parser, buf.data(), static_cast<int>(n), eof ? XML_TRUE : XML_FALSE);
    fed += n;
    if (st == XML_STATUS_ERROR) {
      finished = true;
      if (stopped || !error.ok()) return false;
      XML_Error code = XML_GetErrorCode(parser);
      error = Status::Error(origin + ":" + std::to_string(XML_GetCurrentLineNumber(parser)) + ":" +
                            std::to_string(XML_GetCurrentColumnNumber(parser) + 1) +
                            ": malformed XML: " + XML_ErrorString(code));
      return false;
    }
    if (error.ok() && fed - last_event > limits.max_token_bytes) {
      error = Status::Error(origin + ":" + std::to_string(Line()) +
                            ": an XML tag, comment or declaration longer than " +
                            std::to_string(limits.max_token_bytes) + " bytes");
      finished = true;
      return false;
    }
    if (eof) finished = true;
    return true;
  }
};

PetrarchXmlReader::PetrarchXmlReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PetrarchXmlReader::~PetrarchXmlReader() = default;

Result<std::unique_ptr<PetrarchXmlReader>> PetrarchXmlReader::Open(
    const std::string& path, const PetrarchXmlLimits& limits) {
  auto impl = std::make_unique<Impl>();
  impl->limits = limits;
  if (path == "-") {
    impl->file = stdin;
    impl->origin = "<stdin>";
  } else {
    impl->file = std::fopen(path.c_str(), "rb");
    if (!impl->file) return Status::Error(path + ": cannot open: " + std::strerror(errno));
    impl->owns_file = true;
    impl->origin = path;
  }
  impl->Init();
  return std::unique_ptr<PetrarchXmlReader>(new PetrarchXmlReader(std::move(impl)));
}

std::unique_ptr<PetrarchXmlReader> PetrarchXmlReader::FromStream(
    std::function<Result<size_t>(char* buf, size_t cap)> read, std::string origin,
    const PetrarchXmlLimits& limits) {
  auto impl = std::make_unique<Impl>();
  impl->limits = limits;
  impl->stream = std::move(read);
  impl->origin = std::move(origin);
  impl->Init();
  return std::unique_ptr<PetrarchXmlReader>(new PetrarchXmlReader(std::move(impl)));
}

std::unique_ptr<PetrarchXmlReader> PetrarchXmlReader::FromString(std::string data,
                                                                 std::string origin,
                                                                 const PetrarchXmlLimits& limits) {
  auto impl = std::make_unique<Impl>();
  impl->limits = limits;
  impl->data = std::move(data);
  impl->origin = std::move(origin);
  impl->Init();
  return std::unique_ptr<PetrarchXmlReader>(new PetrarchXmlReader(std::move(impl)));
}

Result<std::optional<PetrarchRecord>> PetrarchXmlReader::Next() {
  Impl& m = *impl_;
  while (m.ready.empty() && m.Feed()) {
  }
  if (!m.ready.empty()) {
    PetrarchRecord r = std::move(m.ready.front());
    m.ready.pop_front();
    return std::optional<PetrarchRecord>(std::move(r));
  }
  if (!m.error.ok() && !m.error_reported) {
    m.error_reported = true;
    return m.error;
  }
  return std::optional<PetrarchRecord>();
}

const PetrarchEnvironment& PetrarchXmlReader::environment() const { return impl_->env; }
const std::vector<PetrarchOption>& PetrarchXmlReader::trailing_config() const {
  return impl_->pending_config;
}
bool PetrarchXmlReader::stopped() const { return impl_->stopped; }
uint32_t PetrarchXmlReader::stop_line() const { return impl_->stop_line; }
const std::string& PetrarchXmlReader::origin() const { return impl_->origin; }

Result<PetrarchFile> ReadPetrarchXml(std::string data, const std::string& origin,
                                     const PetrarchXmlLimits& limits) {
  auto reader = PetrarchXmlReader::FromString(std::move(data), origin, limits);
  PetrarchFile out;
  while (true) {
    auto r = reader->Next();
    if (!r.ok()) return r.status();
    if (!*r) break;
    out.records.push_back(std::move(**r));
  }
  out.environment = reader->environment();
  out.stopped = reader->stopped();
  return out;
}

}  // namespace dyad
