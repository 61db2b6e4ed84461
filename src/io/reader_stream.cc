// The byte layer of the document readers: files and stdin, gzip and zstd streams, bounded
// lines, and text decoding.
#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "dyad/text.h"
#include "io/reader_internal.h"

namespace dyad::reader_internal {
namespace {

constexpr size_t kChunk = 64u << 10;

class FileSource : public ByteSource {
 public:
  FileSource(FILE* f, bool owned) : f_(f), owned_(owned) {}
  ~FileSource() override {
    if (owned_ && f_) std::fclose(f_);
  }
  Result<size_t> Read(char* buf, size_t cap) override {
    if (!pending_.empty()) {  // the sniffed magic bytes come first
      size_t n = std::min(cap, pending_.size());
      std::memcpy(buf, pending_.data(), n);
      pending_.erase(0, n);
      return n;
    }
    if (done_) return size_t{0};
    size_t n = std::fread(buf, 1, cap, f_);
    raw_ += n;
    if (n == 0) {
      done_ = true;
      if (std::ferror(f_)) return Status::Error(std::string("read error: ") + std::strerror(errno));
    }
    return n;
  }
  uint64_t raw_bytes() const override { return raw_; }
  // Reads up to n bytes to look at, kept to be returned by Read first.
  std::string_view Sniff(size_t n) {
    while (pending_.size() < n && !done_) {
      char b[16];
      size_t k = std::fread(b, 1, std::min(sizeof b, n - pending_.size()), f_);
      raw_ += k;
      if (k == 0) {
        done_ = std::feof(f_) || std::ferror(f_);
        break;
      }
      pending_.append(b, k);
    }
    return pending_;
  }

 private:
  FILE* f_;
  bool owned_;
  bool done_ = false;
  uint64_t raw_ = 0;
  std::string pending_;
};

class MemSource : public ByteSource {
 public:
  explicit MemSource(std::string d) : d_(std::move(d)) {}
  Result<size_t> Read(char* buf, size_t cap) override {
    size_t n = std::min(cap, d_.size() - pos_);
    std::memcpy(buf, d_.data() + pos_, n);
    pos_ += n;
    return n;
  }
  uint64_t raw_bytes() const override { return pos_; }
  std::string_view Sniff(size_t n) const { return std::string_view(d_).substr(0, n); }

 private:
  std::string d_;
  size_t pos_ = 0;
};

// gzip (RFC 1952), concatenated members allowed.
class GzipSource : public ByteSource {
 public:
  explicit GzipSource(std::unique_ptr<ByteSource> in) : in_(std::move(in)), inbuf_(kChunk) {
    std::memset(&z_, 0, sizeof z_);
    ok_ = inflateInit2(&z_, 15 + 16) == Z_OK;
  }
  ~GzipSource() override {
    if (ok_) inflateEnd(&z_);
  }
  Result<size_t> Read(char* buf, size_t cap) override {
    if (!ok_) return Status::Error("cannot initialise zlib");
    if (done_) return size_t{0};
    z_.next_out = reinterpret_cast<Bytef*>(buf);
    z_.avail_out = static_cast<uInt>(std::min<size_t>(cap, 1u << 30));
    while (z_.avail_out == static_cast<uInt>(std::min<size_t>(cap, 1u << 30))) {
      if (z_.avail_in == 0 && !in_eof_) {
        auto n = in_->Read(inbuf_.data(), inbuf_.size());
        if (!n.ok()) return Fail(n.status().message());
        if (*n == 0) in_eof_ = true;
        z_.next_in = reinterpret_cast<Bytef*>(inbuf_.data());
        z_.avail_in = static_cast<uInt>(*n);
      }
      if (z_.avail_in == 0 && in_eof_) {
        if (mid_member_) return Fail("truncated gzip stream");
        done_ = true;
        break;
      }
      mid_member_ = true;
      int r = inflate(&z_, Z_NO_FLUSH);
      if (r == Z_STREAM_END) {
        mid_member_ = false;
        inflateReset(&z_);  // another member may follow
      } else if (r == Z_BUF_ERROR && z_.avail_in == 0) {
        continue;  // needs more input
      } else if (r != Z_OK) {
        return Fail(std::string("corrupt gzip stream: ") + (z_.msg ? z_.msg : "inflate error"));
      }
    }
    return static_cast<size_t>(std::min<size_t>(cap, 1u << 30) - z_.avail_out);
  }
  uint64_t raw_bytes() const override { return in_->raw_bytes(); }

 private:
  Status Fail(const std::string& why) {
    done_ = true;
    return Status::Error(why);
  }
  std::unique_ptr<ByteSource> in_;
  std::vector<char> inbuf_;
  z_stream z_;
  bool ok_ = false, in_eof_ = false, done_ = false, mid_member_ = false;
};

class ZstdSource : public ByteSource {
 public:
  explicit ZstdSource(std::unique_ptr<ByteSource> in)
      : src_(std::move(in)), inbuf_(ZSTD_DStreamInSize()), ds_(ZSTD_createDStream()) {
    // The window bounds the decoder's memory: 2^27 (128 MiB) is zstd's default limit, what
    // `zstd` writes up to level 19 (frames made with --long need more and are refused).
    if (ds_) ZSTD_DCtx_setParameter(ds_, ZSTD_d_windowLogMax, 27);
  }
  ~ZstdSource() override { ZSTD_freeDStream(ds_); }
  Result<size_t> Read(char* buf, size_t cap) override {
    if (!ds_) return Status::Error("cannot initialise zstd");
    if (done_) return size_t{0};
    ZSTD_outBuffer out{buf, cap, 0};
    while (out.pos == 0) {
      if (in_.pos == in_.size && !in_eof_) {
        auto n = src_->Read(inbuf_.data(), inbuf_.size());
        if (!n.ok()) return Fail(n.status().message());
        if (*n == 0) in_eof_ = true;
        in_ = ZSTD_inBuffer{inbuf_.data(), *n, 0};
      }
      if (in_.pos == in_.size && in_eof_) {
        // A frame ended exactly here (0 from the last call): done. Otherwise flush what the
        // decoder still holds; if it still wants input, the last frame was cut short. (After a
        // complete frame, the decoder would ask for the next frame's header: not a truncation.)
        if (last_ == 0) {
          done_ = true;
          break;
        }
        size_t r = ZSTD_decompressStream(ds_, &out, &in_);
        if (ZSTD_isError(r)) return Fail(std::string("corrupt zstd stream: ") + ZSTD_getErrorName(r));
        last_ = r;
        if (out.pos > 0) break;
        if (last_ != 0) return Fail("truncated zstd stream");
        done_ = true;
        break;
      }
      size_t r = ZSTD_decompressStream(ds_, &out, &in_);
      if (ZSTD_isError(r)) return Fail(std::string("corrupt zstd stream: ") + ZSTD_getErrorName(r));
      last_ = r;
    }
    return out.pos;
  }
  uint64_t raw_bytes() const override { return src_->raw_bytes(); }

 private:
  Status Fail(const std::string& why) {
    done_ = true;
    return Status::Error(why);
  }
  std::unique_ptr<ByteSource> src_;
  std::vector<char> inbuf_;
  ZSTD_DStream* ds_;
  ZSTD_inBuffer in_{nullptr, 0, 0};
  size_t last_ = 0;
  bool in_eof_ = false, done_ = false;
};

std::string_view Kind(std::string_view magic) {
  if (magic.size() >= 2 && static_cast<unsigned char>(magic[0]) == 0x1f &&
      static_cast<unsigned char>(magic[1]) == 0x8b)
    return "gzip";
  if (magic.size() >= 4 && static_cast<unsigned char>(magic[0]) == 0x28 &&
      static_cast<unsigned char>(magic[1]) == 0xb5 && static_cast<unsigned char>(magic[2]) == 0x2f &&
      static_cast<unsigned char>(magic[3]) == 0xfd)
    return "zstd";
  return "";
}

std::unique_ptr<ByteSource> Wrap(std::unique_ptr<ByteSource> raw, std::string_view kind) {
  if (kind == "gzip") return std::make_unique<GzipSource>(std::move(raw));
  if (kind == "zstd") return std::make_unique<ZstdSource>(std::move(raw));
  return raw;
}

}  // namespace

Result<std::unique_ptr<ByteSource>> OpenByteSource(const std::string& path,
                                                   std::string* compression) {
  FILE* f = nullptr;
  if (path == "-") {
    f = stdin;
  } else {
    f = std::fopen(path.c_str(), "rb");
    if (!f) return Status::Error(std::string("cannot open: ") + std::strerror(errno));
  }
  auto src = std::make_unique<FileSource>(f, path != "-");
  std::string kind(Kind(src->Sniff(4)));
  if (compression) *compression = kind;
  return Wrap(std::move(src), kind);
}

std::unique_ptr<ByteSource> MemoryByteSource(std::string data, std::string* compression) {
  auto src = std::make_unique<MemSource>(std::move(data));
  std::string kind(Kind(src->Sniff(4)));
  if (compression) *compression = kind;
  return Wrap(std::move(src), kind);
}

LineReader::LineReader(std::unique_ptr<ByteSource> src) : src_(std::move(src)) {}

Status LineReader::Fill() {
  if (eof_) return Status::Ok();
  if (pos_ > 0 && pos_ == buf_.size()) {
    buf_.clear();
    pos_ = 0;
  }
  size_t old = buf_.size();
  buf_.resize(old + kChunk);
  auto n = src_->Read(buf_.data() + old, kChunk);
  if (!n.ok()) {
    buf_.resize(old);
    eof_ = true;
    error_ = n.status();  // sticky: reported when the buffered bytes are used up
    return n.status();
  }
  buf_.resize(old + *n);
  if (*n == 0) eof_ = true;
  return Status::Ok();
}

LineReader::Got LineReader::Next(std::string* line, size_t max, uint64_t* length,
                                 Status* error) {
  line->clear();
  uint64_t len = 0;
  bool too_long = false, any = false;
  while (true) {
    if (pos_ == buf_.size()) {
      buf_.clear();
      pos_ = 0;
      (void)Fill();
      if (buf_.empty() && !error_.ok()) {
        ++line_no_;  // the error is at the line being read
        *error = error_;
        return Got::kError;
      }
      if (buf_.empty()) break;  // end of input
    }
    const char* b = buf_.data() + pos_;
    size_t avail = buf_.size() - pos_;
    const void* nl = std::memchr(b, '\n', avail);
    size_t take = nl ? static_cast<const char*>(nl) - b : avail;
    any = true;
    len += take;
    if (!too_long) {
      if (len > max) {
        too_long = true;
        line->clear();
        line->shrink_to_fit();
      } else {
        line->append(b, take);
      }
    }
    pos_ += take;
    if (nl) {
      ++pos_;
      break;
    }
  }
  if (!any) return Got::kEnd;
  ++line_no_;
  if (too_long) {
    *length = len;
    return Got::kTooLong;
  }
  if (!line->empty() && line->back() == '\r') line->pop_back();
  *length = len;
  return Got::kLine;
}

Result<std::string_view> LineReader::Peek(size_t n) {
  if (pos_ > 0) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  while (buf_.size() < n && !eof_) {
    if (!Fill().ok()) break;  // the error comes when the bytes before it are used up
  }
  return std::string_view(buf_).substr(0, n);
}

Result<size_t> LineReader::Read(char* buf, size_t cap) {
  if (pos_ < buf_.size()) {
    size_t n = std::min(cap, buf_.size() - pos_);
    std::memcpy(buf, buf_.data() + pos_, n);
    pos_ += n;
    return n;
  }
  if (!error_.ok()) return error_;
  if (eof_) return size_t{0};
  auto n = src_->Read(buf, cap);
  if (!n.ok()) {
    eof_ = true;
    error_ = n.status();
  }
  return n;
}

namespace {

// Windows-1252 0x80..0x9F; 0 marks the five undefined bytes.
constexpr char16_t kCp1252[32] = {0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
                                  0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

void AppendUtf8(char32_t c, std::string* out) {
  if (c < 0x80) {
    *out += static_cast<char>(c);
  } else if (c < 0x800) {
    *out += static_cast<char>(0xC0 | (c >> 6));
    *out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    *out += static_cast<char>(0xE0 | (c >> 12));
    *out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// Length of the valid UTF-8 sequence at s[i], or 0.
size_t ValidSeq(std::string_view s, size_t i) {
  auto u = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = u(i);
  if (c < 0x80) return 1;
  size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (n == 0 || c > 0xF4 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((u(i + k) & 0xC0) != 0x80) return 0;
  unsigned char c1 = u(i + 1);
  if (c == 0xE0 && c1 < 0xA0) return 0;
  if (c == 0xED && c1 > 0x9F) return 0;
  if (c == 0xF0 && c1 < 0x90) return 0;
  if (c == 0xF4 && c1 > 0x8F) return 0;
  return n;
}

}  // namespace

Result<Decoded> DecodeText(std::string_view raw) {
  Decoded d;
  if (raw.size() >= 2 && ((static_cast<unsigned char>(raw[0]) == 0xFF &&
                           static_cast<unsigned char>(raw[1]) == 0xFE) ||
                          (static_cast<unsigned char>(raw[0]) == 0xFE &&
                           static_cast<unsigned char>(raw[1]) == 0xFF)))
    return Status::Error(
        "not UTF-8 and not repairable: UTF-16 text (convert it with iconv -f UTF-16 -t UTF-8)");
  size_t multi = 0, invalid = 0, controls = 0, high = 0;
  for (size_t i = 0; i < raw.size();) {
    unsigned char c = static_cast<unsigned char>(raw[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') ++controls;
    if (c == 0x7F) ++controls;
    if (c < 0x80) {
      ++i;
      continue;
    }
    ++high;
    size_t n = ValidSeq(raw, i);
    if (n) {
      ++multi;
      i += n;
    } else {
      ++invalid;
      ++i;
    }
  }
  if (invalid == 0 && controls * 20 <= raw.size()) {
    d.text.assign(raw);
    return d;
  }
  if (multi == 0 && controls == 0) {
    // Legacy 8-bit text: Windows-1252 (whose printable range includes all of Latin-1).
    d.encoding = "windows-1252";
    d.text.reserve(raw.size() + high);
    for (unsigned char c : raw) {
      if (c < 0x80) {
        d.text += static_cast<char>(c);
      } else {
        char32_t u = c < 0xA0 ? kCp1252[c - 0x80] : c;
        AppendUtf8(u ? u : 0xFFFD, &d.text);
        ++d.repaired;
      }
    }
    return d;
  }
  // Binary data: random bytes are ~11% control characters and ~45% invalid sequences; text
  // with a few damaged characters is neither.
  if (controls * 20 > raw.size() || invalid * 3 > raw.size())
    return Status::Error("not UTF-8 and not repairable: " + std::to_string(invalid) +
                         " invalid byte(s) and " + std::to_string(controls) +
                         " control character(s) in " + std::to_string(raw.size()) +
                         " bytes (binary data?)");
  d.text = text::RepairUtf8(raw, &d.repaired);
  return d;
}

std::string HumanBytes(uint64_t n) {
  char b[64];
  if (n >= (1u << 20))
    std::snprintf(b, sizeof b, "%.1f MB", static_cast<double>(n) / (1u << 20));
  else if (n >= (1u << 10))
    std::snprintf(b, sizeof b, "%.1f KB", static_cast<double>(n) / (1u << 10));
  else
    std::snprintf(b, sizeof b, "%llu bytes", static_cast<unsigned long long>(n));
  return b;
}

}  // namespace dyad::reader_internal
