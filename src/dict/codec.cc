#include "dict/codec.h"

#include <zstd.h>

#include <algorithm>
#include <cstring>
#include <functional>

#include "dyad/version.h"
#include "util/binary.h"

namespace dyad::dict {
namespace {

constexpr uint32_t kFlagZstd = 1;
constexpr uint64_t kMaxPayload = 1ull << 30;  // 1 GiB: far above any real dictionary
constexpr int kMaxElementDepth = 4;

// ---- writing

void WriteRef(BinaryWriter& w, SourceRef r) {
  w.U32(r.file);
  w.U32(r.line);
}

void WriteCode(BinaryWriter& w, const VerbCode& c) {
  w.Str(c.primary);
  w.Str(c.paired);
  w.U8(static_cast<uint8_t>((c.dominant ? 1 : 0) | (c.subordinate ? 2 : 0)));
}

void WriteU32s(BinaryWriter& w, const std::vector<uint32_t>& v) { w.PodVector(v); }

void WriteElements(BinaryWriter& w, const std::vector<PatternElement>& v) {
  w.U32(static_cast<uint32_t>(v.size()));
  for (const auto& e : v) {
    w.U8(static_cast<uint8_t>(e.kind));
    w.U8(e.adjacent ? 1 : 0);
    w.U32(e.id);
    WriteElements(w, e.children);
  }
}

}  // namespace

// Friend of PhraseTable and Dictionary: reads and writes their private members.
struct TableIo {
  static void Write(BinaryWriter& w, const PhraseTable& t) {
    w.PodVector(t.phrases_);
    w.PodVector(t.words_);
  }
  static void Read(BinaryReader& r, PhraseTable* t) {
    t->phrases_ = r.PodVector<PhraseTable::Phrase>();
    t->words_ = r.PodVector<WordId>();
  }
};

namespace {

std::string SourcesBlock(const Dictionary& d) {
  BinaryWriter w;
  w.U32(static_cast<uint32_t>(d.sources().size()));
  for (const auto& s : d.sources()) {
    w.Str(s.name);
    w.U8(static_cast<uint8_t>(s.kind));
    w.U64(s.bytes);
    w.U64(s.checksum);
    w.U32(s.entries);
    w.U32(s.skipped);
  }
  return w.Take();
}

}  // namespace

// The payload writer and reader need the private members; DictionaryCodec is the friend.
struct PayloadIo {
  static std::string Write(const Dictionary& d) {
    BinaryWriter w;
    w.StrVector(d.words_);

    w.U32(static_cast<uint32_t>(d.synsets_.size()));
    for (const auto& s : d.synsets_) {
      w.Str(s.name);
      w.U8(s.plurals ? 1 : 0);
      WriteRef(w, s.where);
    }
    TableIo::Write(w, d.synset_members_);

    w.U32(static_cast<uint32_t>(d.blocks_.size()));
    for (const auto& b : d.blocks_) {
      w.Str(b.meaning);
      WriteCode(w, b.code);
      WriteU32s(w, b.verbs);
      WriteU32s(w, b.patterns);
      WriteRef(w, b.where);
    }
    w.U32(static_cast<uint32_t>(d.verbs_.size()));
    for (const auto& v : d.verbs_) {
      w.U32(v.block);
      WriteCode(w, v.code);
      w.U8(static_cast<uint8_t>((v.own_code ? 1 : 0) | (v.irregular ? 2 : 0)));
      w.U32(static_cast<uint32_t>(v.forms.size()));
      for (const auto& f : v.forms) {
        w.U32(f.verb);
        WriteU32s(w, f.before);
        WriteU32s(w, f.after);
      }
      WriteRef(w, v.where);
      w.Str(v.text);
    }
    w.U32(static_cast<uint32_t>(d.patterns_.size()));
    for (const auto& p : d.patterns_) {
      w.U32(p.block);
      WriteElements(w, p.before);
      WriteElements(w, p.after);
      w.U8(p.verb_adjacent ? 1 : 0);
      WriteCode(w, p.code);
      w.U32(p.weight);
      WriteRef(w, p.where);
      w.Str(p.text);
    }
    w.U32(static_cast<uint32_t>(d.transformations_.size()));
    for (const auto& t : d.transformations_) {
      w.U32(static_cast<uint32_t>(t.levels.size()));
      for (const auto& l : t.levels) {
        w.Str(l.source);
        WriteU32s(w, l.verbs);
      }
      w.Str(t.target);
      w.Str(t.out_source);
      w.Str(t.out_target);
      w.Str(t.out_code);
      WriteRef(w, t.where);
      w.Str(t.text);
    }
    w.PodVector(d.verb_index_);

    w.U32(static_cast<uint32_t>(d.actors_.size()));
    for (const auto& a : d.actors_) {
      w.Str(a.root);
      w.U32(static_cast<uint32_t>(a.codes.size()));
      for (const auto& c : a.codes) {
        w.Str(c.code);
        w.I32(c.from);
        w.I32(c.to);
      }
      WriteRef(w, a.where);
    }
    TableIo::Write(w, d.actor_phrases_);

    w.U32(static_cast<uint32_t>(d.agents_.size()));
    for (const auto& a : d.agents_) {
      w.Str(a.code);
      w.U8(a.prefix ? 1 : 0);
      WriteRef(w, a.where);
    }
    TableIo::Write(w, d.agent_phrases_);

    w.U32(static_cast<uint32_t>(d.discards_.size()));
    for (const auto& x : d.discards_) {
      w.U8(static_cast<uint8_t>((x.story ? 1 : 0) | (x.stem ? 2 : 0)));
      WriteRef(w, x.where);
    }
    TableIo::Write(w, d.discard_phrases_);

    w.StrVector(d.issue_codes_);
    w.U32(static_cast<uint32_t>(d.issue_categories_.size()));
    for (const auto& c : d.issue_categories_) {
      w.Str(c.name);
      w.Str(c.type);
    }
    w.U32(static_cast<uint32_t>(d.issues_.size()));
    for (const auto& i : d.issues_) {
      w.U8(static_cast<uint8_t>(i.kind));
      w.U32(i.code);
      w.U32(i.category);
      WriteRef(w, i.where);
    }
    TableIo::Write(w, d.issue_phrases_);
    return w.Take();
  }

  // ---- reading: every count is bounded by the bytes left, every index is checked.

  struct Reader {
    BinaryReader r;
    Dictionary* d;

    // A count of items that each take at least `min_bytes`.
    uint32_t Count(uint32_t min_bytes, const char* what) {
      uint32_t n = r.U32();
      if (r.ok() && n > r.remaining() / min_bytes) {
        r.Fail(std::string("implausible number of ") + what + " (" + std::to_string(n) + ")");
        return 0;
      }
      return n;
    }
    SourceRef Ref() {
      SourceRef s;
      s.file = r.U32();
      s.line = r.U32();
      return s;
    }
    VerbCode Code() {
      VerbCode c;
      c.primary = r.Str();
      c.paired = r.Str();
      uint8_t f = r.U8();
      c.dominant = f & 1;
      c.subordinate = f & 2;
      return c;
    }
    std::vector<PatternElement> Elements(int depth) {
      std::vector<PatternElement> out;
      if (depth > kMaxElementDepth) {
        r.Fail("pattern elements nested too deeply");
        return out;
      }
      uint32_t n = Count(10, "pattern elements");
      out.reserve(n);
      for (uint32_t i = 0; i < n && r.ok(); ++i) {
        PatternElement e;
        uint8_t kind = r.U8();
        if (kind > static_cast<uint8_t>(ElementKind::kSkip)) r.Fail("bad pattern element kind");
        e.kind = static_cast<ElementKind>(kind);
        e.adjacent = r.U8() != 0;
        e.id = r.U32();
        e.children = Elements(depth + 1);
        out.push_back(std::move(e));
      }
      return out;
    }
  };

  static void Read(Reader& in) {
    BinaryReader& r = in.r;
    Dictionary& d = *in.d;
    d.words_ = r.StrVector();

    uint32_t n = in.Count(13, "synsets");
    d.synsets_.reserve(n);
    for (uint32_t i = 0; i < n && r.ok(); ++i) {
      Synset s;
      s.name = r.Str();
      s.plurals = r.U8() != 0;
      s.where = in.Ref();
      d.synsets_.push_back(std::move(s));
    }
    TableIo::Read(r, &d.synset_members_);

    n = in.Count(37, "verb blocks");
    d.blocks_.reserve(n);
    for (uint32_t i = 0; i < n && r.ok(); ++i) {
      VerbBlock b;
      b.meaning = r.Str();
      b.code = in.Code();
      b.verbs = r.PodVector<uint32_t>();
      b.patterns = r.PodVector<uint32_t>();
      b.where = in.Ref();
      d.blocks_.push_back(std::move(b));
    }
    n = in.Count(30, "verbs");
    d.verbs_.reserve(n);
    for (uint32_t i = 0; i < n && r.ok(); ++i) {
      Verb v;
      v.block = r.U32();
      v.code = in.Code();
      uint8_t f = r.U8();
      v.own_code = f & 1;
      v.irregular = f & 2;
      uint32_t forms = in.Count(20, "verb forms");
      v.forms.reserve(forms);
      for (uint32_t k = 0; k < forms && r.ok(); ++k) {
        VerbForm form;
        form.verb = r.U32();
        form.before = r.PodVector<uint32_t>();
        form.after = r.PodVector<uint32_t>();
        v.forms.push_back(std::move(form));
      }
      v.where = in.Ref();
      v.text = r.Str();
      d.verbs_.push_back(std::move(v));
    }
    n = in.Count(38, "patterns");
    d.patterns_.reserve(n);
    for (uint32_t i = 0; i < n && r.ok(); ++i) {
      Pattern p;
      p.block = r.U32();
      p.before = in.Elements(0);
      p.after = in.Elements(0);
      p.verb_adjacent = r.U8() != 0;
      p.code = in.Code();
      p.weight = r.U32();
      p.where = in.Ref();
      p.text = r.Str();
      d.patterns_.push_back(std::move(p));
    }
    n = in.Count(32, "transformations");
    d.transformations_.reserve(n);
    for (uint32_t i = 0; i < n && r.ok(); ++i) {
      Transformation t;
      uint32_t levels = in.Count(12, "transformation levels");
      for (uint32_t k = 0; k < levels && r.ok(); ++k) {
        Transformation::Level l;
        l.source = r.Str();
        l.verbs = r.PodVector<uint32_t>();
        t.levels.push_back(std::move(l));
      }
      t.target = r.Str();
      t.out_source = r.Str();
      t.out_target = r.Str();
      t.out_code = r.Str();
      t.where = in.Ref();
      t.text = r.Str();
      d.transformations_.push_back(std::move(t));
    }
    d.verb_index_ = r.PodVector<VerbRef>();

    n = in.Count(16, "actors");
    d.actors_.reserve(n);
    for (uint32_t i = 0; i < n && r.ok(); ++i) {
      Actor a;
      a.root = r.Str();
      uint32_t codes = in.Count(12, "actor codes");
      a.codes.reserve(codes);
      for (uint32_t k = 0; k < codes && r.ok(); ++k) {
        DatedCode c;
        c.code = r.Str();
        c.from = r.I32();
        c.to = r.I32();
        a.codes.push_back(std::move(c));
      }
      a.where = in.Ref();
      d.actors_.push_back(std::move(a));
    }
    TableIo::Read(r, &d.actor_phrases_);

    n = in.Count(13, "agents");
    d.agents_.reserve(n);
    for (uint32_t i = 0; i < n && r.ok(); ++i) {
      Agent a;
      a.code = r.Str();
      a.prefix = r.U8() != 0;
      a.where = in.Ref();
      d.agents_.push_back(std::move(a));
    }
    TableIo::Read(r, &d.agent_phrases_);

    n = in.Count(9, "discards");
    d.discards_.reserve(n);
    for (uint32_t i = 0; i < n && r.ok(); ++i) {
      Discard x;
      uint8_t f = r.U8();
      x.story = f & 1;
      x.stem = f & 2;
      x.where = in.Ref();
      d.discards_.push_back(x);
    }
    TableIo::Read(r, &d.discard_phrases_);

    d.issue_codes_ = r.StrVector();
    n = in.Count(8, "issue categories");
    d.issue_categories_.reserve(n);
    for (uint32_t i = 0; i < n && r.ok(); ++i) {
      IssueCategory c;
      c.name = r.Str();
      c.type = r.Str();
      d.issue_categories_.push_back(std::move(c));
    }
    n = in.Count(17, "issues");
    d.issues_.reserve(n);
    for (uint32_t i = 0; i < n && r.ok(); ++i) {
      Issue x;
      uint8_t kind = r.U8();
      if (kind > static_cast<uint8_t>(IssueKind::kIgnoreStory)) r.Fail("bad issue kind");
      x.kind = static_cast<IssueKind>(kind);
      x.code = r.U32();
      x.category = r.U32();
      x.where = in.Ref();
      d.issues_.push_back(x);
    }
    TableIo::Read(r, &d.issue_phrases_);
  }

  // Cross-reference checks: a file that passed its checksum but was written by a buggy or
  // hostile producer must still never make an accessor read out of bounds.
  static std::string Validate(Dictionary& d) {
    const size_t nw = d.words_.size();
    const size_t nsrc = d.sources_.size();
    auto ref_ok = [&](SourceRef r) { return r.file < nsrc; };
    auto words_ok = [&](const std::vector<uint32_t>& v) {
      return std::all_of(v.begin(), v.end(), [&](uint32_t w) { return w < nw; });
    };
    auto table_ok = [&](PhraseTable& t, size_t owners, const char* what) -> std::string {
      t.first_word_.clear();
      t.first_word_.reserve(t.phrases_.size());
      for (const auto& p : t.phrases_) {
        if (p.size == 0 || p.size > 32 || p.begin > t.words_.size() ||
            p.size > t.words_.size() - p.begin || p.owner >= owners)
          return std::string("bad phrase in the ") + what + " table";
        WordId first = t.words_[p.begin];
        if (!t.first_word_.empty() && first < t.first_word_.back())
          return std::string("the ") + what + " table is not sorted";
        t.first_word_.push_back(first);
      }
      if (!words_ok(t.words_)) return std::string("bad word in the ") + what + " table";
      t.IndexFirstWords();
      return "";
    };
    std::string e;
    if (!(e = table_ok(d.synset_members_, d.synsets_.size(), "synset")).empty()) return e;
    if (!(e = table_ok(d.actor_phrases_, d.actors_.size(), "actor")).empty()) return e;
    if (!(e = table_ok(d.agent_phrases_, d.agents_.size(), "agent")).empty()) return e;
    if (!(e = table_ok(d.discard_phrases_, d.discards_.size(), "discard")).empty()) return e;
    if (!(e = table_ok(d.issue_phrases_, d.issues_.size(), "issue")).empty()) return e;

    for (const auto& s : d.synsets_)
      if (!ref_ok(s.where)) return "bad source reference";
    for (const auto& b : d.blocks_) {
      if (!ref_ok(b.where)) return "bad source reference";
      for (uint32_t v : b.verbs)
        if (v >= d.verbs_.size()) return "bad verb index in a block";
      for (uint32_t p : b.patterns)
        if (p >= d.patterns_.size()) return "bad pattern index in a block";
    }
    for (const auto& v : d.verbs_) {
      if (v.block >= d.blocks_.size() || v.forms.empty() || !ref_ok(v.where)) return "bad verb";
      for (const auto& f : v.forms)
        if (f.verb >= nw || !words_ok(f.before) || !words_ok(f.after)) return "bad verb form";
    }
    std::function<bool(const std::vector<PatternElement>&, bool)> elems_ok =
        [&](const std::vector<PatternElement>& v, bool nested) {
          for (const auto& e : v) {
            switch (e.kind) {
              case ElementKind::kWord:
                if (e.id >= nw || !e.children.empty()) return false;
                break;
              case ElementKind::kSynset:
                if (e.id >= d.synsets_.size() || !e.children.empty()) return false;
                break;
              case ElementKind::kNounPhrase:
                if (e.children.empty() || !elems_ok(e.children, true)) return false;
                break;
              case ElementKind::kPrepPhrase:
                if (nested || e.children.empty() ||
                    (e.children[0].kind != ElementKind::kWord &&
                     e.children[0].kind != ElementKind::kSynset) ||
                    !elems_ok(e.children, true))
                  return false;
                break;
              default:
                if (!e.children.empty()) return false;
            }
          }
          return true;
        };
    for (const auto& p : d.patterns_) {
      if (p.block >= d.blocks_.size() || !ref_ok(p.where) || !elems_ok(p.before, false) ||
          !elems_ok(p.after, false))
        return "bad pattern";
    }
    for (const auto& t : d.transformations_) {
      if (t.levels.empty() || !ref_ok(t.where)) return "bad transformation";
      for (const auto& l : t.levels)
        if (!words_ok(l.verbs)) return "bad transformation";
    }
    for (size_t i = 0; i < d.verb_index_.size(); ++i) {
      const VerbRef& v = d.verb_index_[i];
      if (v.word >= nw || v.verb >= d.verbs_.size() || v.form >= d.verbs_[v.verb].forms.size())
        return "bad verb index entry";
      if (i > 0 && v.word < d.verb_index_[i - 1].word) return "the verb index is not sorted";
    }
    for (const auto& a : d.actors_)
      if (!ref_ok(a.where)) return "bad source reference";
    for (const auto& a : d.agents_)
      if (!ref_ok(a.where)) return "bad source reference";
    for (const auto& x : d.discards_)
      if (!ref_ok(x.where)) return "bad source reference";
    for (const auto& x : d.issues_) {
      if (!ref_ok(x.where)) return "bad source reference";
      if (x.kind == IssueKind::kCode ? x.code >= d.issue_codes_.size() : x.code != kNone)
        return "bad issue code";
      if (x.category != kNone && x.category >= d.issue_categories_.size())
        return "bad issue category";
    }
    return "";
  }
};

uint64_t DictionaryCodec::Fingerprint(const Dictionary& d) {
  uint64_t h = Fnv1a64(d.tagset());
  h = Fnv1a64(SourcesBlock(d), h);
  return Fnv1a64(PayloadIo::Write(d), h);
}

std::string DictionaryCodec::Serialize(const Dictionary& d, int zstd_level) {
  std::string payload = PayloadIo::Write(d);
  std::string sources = SourcesBlock(d);
  uint64_t fp = Fnv1a64(payload, Fnv1a64(sources, Fnv1a64(d.tagset())));
  std::string stored;
  uint32_t flags = 0;
  if (zstd_level > 0) {
    stored.resize(ZSTD_compressBound(payload.size()));
    size_t n = ZSTD_compress(stored.data(), stored.size(), payload.data(), payload.size(),
                             std::min(zstd_level, ZSTD_maxCLevel()));
    if (!ZSTD_isError(n)) {
      stored.resize(n);
      flags |= kFlagZstd;
    }
  }
  if (!(flags & kFlagZstd)) stored = payload;

  BinaryWriter w;
  w.Bytes(kDictMagic, sizeof kDictMagic);
  w.U32(kDictFormatVersion);
  w.U32(flags);
  w.Str(d.tagset());
  w.Str(std::string("dyad ") + DYAD_VERSION);
  w.Bytes(sources.data(), sources.size());
  w.U64(fp);
  w.U64(payload.size());
  w.U64(stored.size());
  w.Bytes(stored.data(), stored.size());
  w.U64(Fnv1a64(w.data()));
  return w.Take();
}

Result<std::shared_ptr<const Dictionary>> DictionaryCodec::Parse(std::string_view bytes,
                                                                 const std::string& origin,
                                                                 std::string_view tagset) {
  const std::string rebuild = "; rebuild it with `dyad dict import`";
  if (bytes.size() < sizeof kDictMagic ||
      bytes.substr(0, sizeof kDictMagic) != std::string_view(kDictMagic, sizeof kDictMagic))
    return Status::Error(origin + ": not a dyad dictionary (bad magic)" + rebuild);
  BinaryReader r(bytes.substr(sizeof kDictMagic), origin);
  uint32_t version = r.U32();
  if (!r.ok()) return Status::Error(origin + ": truncated dictionary header" + rebuild);
  if (version < kMinDictFormatVersion || version > kDictFormatVersion)
    return Status::Error(origin + ": dictionary format version " + std::to_string(version) +
                         " is not supported by this dyad (reads versions " +
                         std::to_string(kMinDictFormatVersion) + " to " +
                         std::to_string(kDictFormatVersion) + ")" + rebuild);
  if (bytes.size() < sizeof kDictMagic + 4 + 8)
    return Status::Error(origin + ": truncated dictionary" + rebuild);
  uint64_t stored_sum = 0;
  std::memcpy(&stored_sum, bytes.data() + bytes.size() - 8, 8);
  if (Fnv1a64(bytes.substr(0, bytes.size() - 8)) != stored_sum)
    return Status::Error(origin + ": dictionary is corrupted or truncated (checksum mismatch)" +
                         rebuild);

  auto d = std::make_shared<Dictionary>();
  d->format_version_ = version;
  uint32_t flags = r.U32();
  d->tagset_ = r.Str();
  std::string producer = r.Str();
  size_t sources_begin = r.position();
  uint32_t nsrc = r.U32();
  if (r.ok() && nsrc > r.remaining() / 29) r.Fail("implausible number of source files");
  for (uint32_t i = 0; i < nsrc && r.ok(); ++i) {
    Dictionary::Source s;
    s.name = r.Str();
    uint8_t kind = r.U8();
    if (kind > static_cast<uint8_t>(DictKind::kIssues)) r.Fail("bad source kind");
    s.kind = static_cast<DictKind>(kind);
    s.bytes = r.U64();
    s.checksum = r.U64();
    s.entries = r.U32();
    s.skipped = r.U32();
    d->sources_.push_back(std::move(s));
  }
  std::string_view sources_block =
      bytes.substr(sizeof kDictMagic + sources_begin, r.position() - sources_begin);
  uint64_t fp = r.U64();
  uint64_t payload_size = r.U64();
  uint64_t stored_size = r.U64();
  if (r.ok() && (stored_size > r.remaining() || payload_size > kMaxPayload))
    r.Fail("implausible payload size");
  std::string_view stored = r.View(r.ok() ? stored_size : 0);
  r.U64();  // the checksum, verified above
  DYAD_RETURN_IF_ERROR(r.Finish());
  if (flags & ~kFlagZstd) return Status::Error(origin + ": unknown dictionary flags" + rebuild);
  if (d->tagset_ != tagset)
    return Status::Error(origin + ": the dictionary assumes the tagset \"" + d->tagset_ +
                         "\" but the parser produces \"" + std::string(tagset) + "\"" + rebuild);

  // Decompressed into an uninitialised buffer: zero-filling megabytes first costs more than
  // the decompression.
  std::unique_ptr<char[]> buffer;
  std::string_view payload;
  if (flags & kFlagZstd) {
    buffer = std::make_unique_for_overwrite<char[]>(payload_size);
    size_t n = ZSTD_decompress(buffer.get(), payload_size, stored.data(), stored.size());
    if (ZSTD_isError(n) || n != payload_size)
      return Status::Error(origin + ": cannot decompress the dictionary" + rebuild);
    payload = std::string_view(buffer.get(), payload_size);
  } else {
    if (stored.size() != payload_size)
      return Status::Error(origin + ": payload size mismatch" + rebuild);
    payload = stored;
  }
  if (Fnv1a64(payload, Fnv1a64(sources_block, Fnv1a64(d->tagset_))) != fp)
    return Status::Error(origin + ": fingerprint mismatch (dictionary corrupted)" + rebuild);
  d->fingerprint_ = fp;

  PayloadIo::Reader in{BinaryReader(payload, origin + " payload"), d.get()};
  PayloadIo::Read(in);
  DYAD_RETURN_IF_ERROR(in.r.Finish());
  std::string bad = PayloadIo::Validate(*d);
  if (!bad.empty()) return Status::Error(origin + ": " + bad + rebuild);
  d->BuildWordIndex();
  return std::shared_ptr<const Dictionary>(std::move(d));
}

}  // namespace dyad::dict
