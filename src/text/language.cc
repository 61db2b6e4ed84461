#include "text/language.h"

#include <algorithm>
#include <filesystem>
#include <iterator>

#include "dyad/text.h"
#include "text/unicode.h"
#include "util/binary.h"

namespace dyad::text {
namespace {

constexpr uint32_t kLanguageDataVersion = 1;

std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> f;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
    if (j > i) f.push_back(line.substr(i, j - i));
    i = j;
  }
  return f;
}

// Calls fn(line_number, fields) for every non-empty, non-comment line of `path`.
template <typename Fn>
Status ForEachLine(const std::string& path, bool required, Fn fn) {
  if (!required && !std::filesystem::exists(path)) return Status::Ok();
  DYAD_ASSIGN_OR_RETURN(std::string data, ReadFile(path));
  size_t repaired = 0;
  data = RepairUtf8(data, &repaired);
  if (repaired) return Status::Error(path + ": not valid UTF-8");
  size_t pos = 0, line_no = 0;
  while (pos < data.size()) {
    size_t nl = data.find('\n', pos);
    if (nl == std::string::npos) nl = data.size();
    std::string_view line(data.data() + pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    auto f = Fields(line);
    if (f.empty() || f[0][0] == '#') continue;
    Status s = fn(f);
    if (!s.ok()) return Status::Error(path + ":" + std::to_string(line_no) + ": " + s.message());
  }
  return Status::Ok();
}

std::u32string CodePoints(const std::vector<std::string_view>& values) {
  std::u32string out;
  for (size_t k = 1; k < values.size(); ++k)
    for (size_t i = 0; i < values[k].size();) {
      Decoded d = DecodeAt(values[k], i);
      out.push_back(d.cp);
      i += d.len;
    }
  return out;
}

void WriteU32String(const std::u32string& s, BinaryWriter* w) {
  w->U32(static_cast<uint32_t>(s.size()));
  for (char32_t c : s) w->U32(c);
}

std::u32string ReadU32String(BinaryReader* r) {
  uint32_t n = r->U32();
  if (n > r->remaining() / 4) {
    r->Fail("code point list does not fit");
    return {};
  }
  std::u32string s;
  for (uint32_t i = 0; i < n; ++i) {
    char32_t c = r->U32();
    if (c > 0x10FFFF) r->Fail("code point out of range");
    s.push_back(c);
  }
  return s;
}

}  // namespace

uint64_t LanguageData::Hash(std::string_view s) { return Fnv1a64(s); }

Result<LanguageData> LanguageData::Load(const std::string& dir) {
  LanguageData d;
  d.code = std::filesystem::path(dir).lexically_normal().filename().string();
  if (d.code.empty()) d.code = std::filesystem::path(dir).parent_path().filename().string();
  if (!std::filesystem::is_directory(dir))
    return Status::Error(dir + ": language directory not found (expected data/lang/<code>/)");

  DYAD_RETURN_IF_ERROR(ForEachLine(dir + "/settings.txt", true, [&](const auto& f) {
    const std::string_view key = f[0];
    if (key == "sentence_final") {
      d.sentence_final = CodePoints(f);
    } else if (key == "closing") {
      d.closing = CodePoints(f);
    } else if (key == "opening") {
      d.opening = CodePoints(f);
    } else if (key == "bullets") {
      d.bullets = CodePoints(f);
    } else if (key == "split_hyphens") {
      if (f.size() != 2 || (f[1] != "yes" && f[1] != "no"))
        return Status::Error("split_hyphens takes yes or no");
      d.split_hyphens = f[1] == "yes";
    } else if (key == "hyphen_prefixes") {
      for (size_t k = 1; k < f.size(); ++k) d.hyphen_prefixes.push_back(LowerUtf8(f[k]));
    } else {
      return Status::Error("unknown setting '" + std::string(key) + "'");
    }
    return Status::Ok();
  }));
  DYAD_RETURN_IF_ERROR(ForEachLine(dir + "/abbreviations.txt", false, [&](const auto& f) {
    if (f.size() > 2 || (f.size() == 2 && f[1] != "title"))
      return Status::Error("expected an abbreviation, optionally followed by 'title'");
    d.abbreviations.emplace_back(f[0]);
    if (f.size() == 2) d.titles.emplace_back(f[0]);
    return Status::Ok();
  }));
  DYAD_RETURN_IF_ERROR(ForEachLine(dir + "/tokens.txt", false, [&](const auto& f) {
    if (f.size() != 1) return Status::Error("expected one token a line");
    d.tokens.push_back(LowerUtf8(f[0]));
    return Status::Ok();
  }));
  DYAD_RETURN_IF_ERROR(ForEachLine(dir + "/multiword.txt", false, [&](const auto& f) {
    MultiwordRule rule;
    if (f[0].size() > 1 && f[0][0] == '*') {
      if (f.size() != 1) return Status::Error("a suffix rule '*suffix' stands alone");
      rule.form = LowerUtf8(f[0].substr(1));
      rule.suffix = true;
    } else {
      if (f.size() < 3) return Status::Error("expected a token and at least two words");
      rule.form = LowerUtf8(f[0]);
      for (size_t k = 1; k < f.size(); ++k) rule.words.push_back(LowerUtf8(f[k]));
    }
    d.multiwords.push_back(std::move(rule));
    return Status::Ok();
  }));
  d.Index();
  return d;
}

void LanguageData::Index() {
  abbrev_set_.clear();
  title_set_.clear();
  token_set_.clear();
  prefix_set_.clear();
  std::fill(std::begin(abbrev_last_), std::end(abbrev_last_), false);
  for (const auto& s : abbreviations) {
    abbrev_set_.insert(Hash(s));
    if (!s.empty()) abbrev_last_[static_cast<unsigned char>(s.back())] = true;
  }
  for (const auto& s : titles) {
    title_set_.insert(Hash(s));
    if (!s.empty()) abbrev_last_[static_cast<unsigned char>(s.back())] = true;
  }
  for (const auto& s : tokens) token_set_.insert(Hash(s));
  for (const auto& s : hyphen_prefixes) prefix_set_.insert(Hash(s));
}

void LanguageData::Serialize(BinaryWriter* w) const {
  w->U32(kLanguageDataVersion);
  w->Str(code);
  WriteU32String(sentence_final, w);
  WriteU32String(closing, w);
  WriteU32String(opening, w);
  WriteU32String(bullets, w);
  w->U8(split_hyphens ? 1 : 0);
  w->StrVector(hyphen_prefixes);
  w->StrVector(abbreviations);
  w->StrVector(titles);
  w->StrVector(tokens);
  w->U32(static_cast<uint32_t>(multiwords.size()));
  for (const auto& m : multiwords) {
    w->Str(m.form);
    w->U8(m.suffix ? 1 : 0);
    w->StrVector(m.words);
  }
}

Result<LanguageData> LanguageData::Parse(BinaryReader* r) {
  LanguageData d;
  uint32_t version = r->U32();
  if (r->ok() && version != kLanguageDataVersion)
    r->Fail("language data version " + std::to_string(version) + " is not supported (expected " +
            std::to_string(kLanguageDataVersion) + "); retrain the model");
  d.code = r->Str();
  d.sentence_final = ReadU32String(r);
  d.closing = ReadU32String(r);
  d.opening = ReadU32String(r);
  d.bullets = ReadU32String(r);
  uint8_t split = r->U8();
  if (split > 1) r->Fail("bad split_hyphens flag");
  d.split_hyphens = split == 1;
  d.hyphen_prefixes = r->StrVector();
  d.abbreviations = r->StrVector();
  d.titles = r->StrVector();
  d.tokens = r->StrVector();
  uint32_t n = r->U32();
  if (n > r->remaining() / 9) r->Fail("multiword rule count does not fit");
  for (uint32_t i = 0; i < n && r->ok(); ++i) {
    MultiwordRule m;
    m.form = r->Str();
    uint8_t suffix = r->U8();
    if (suffix > 1) r->Fail("bad multiword rule flag");
    m.suffix = suffix == 1;
    m.words = r->StrVector();
    d.multiwords.push_back(std::move(m));
  }
  DYAD_RETURN_IF_ERROR(r->status());
  d.Index();
  return d;
}

}  // namespace dyad::text
