// Internals of the document readers (dyad/reader.h), shared by reader*.cc and their tests
// and fuzzers: the byte layer (file or stdin, gzip or zstd decompressed as a stream), a
// bounded line reader over it, and text decoding.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "dyad/status.h"

namespace dyad::reader_internal {

// Raw bytes of one input, decompressed. Not thread-safe.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `cap` bytes; 0 at the end. An error for a read error or a truncated or
  // corrupt compressed stream (then the source stays at its end).
  virtual Result<size_t> Read(char* buf, size_t cap) = 0;
  // Bytes consumed from the underlying file so far.
  virtual uint64_t raw_bytes() const = 0;
};

// Opens `path` ("-" is stdin) and wraps it in a decompressor when its first bytes are a gzip
// or zstd magic. `*compression` receives "", "gzip" or "zstd". Error: "cannot open: ...".
Result<std::unique_ptr<ByteSource>> OpenByteSource(const std::string& path,
                                                   std::string* compression);
// The same over bytes in memory (tests, fuzzers).
std::unique_ptr<ByteSource> MemoryByteSource(std::string data, std::string* compression);

// Lines of at most `max` bytes over a ByteSource, with a 64 KiB buffer: a longer line is
// consumed up to its newline without being stored. Not thread-safe.
class LineReader {
 public:
  explicit LineReader(std::unique_ptr<ByteSource> src);

  enum class Got { kLine, kTooLong, kEnd, kError };
  // kLine: *line holds the line without "\n" (and without a final "\r").
  // kTooLong: the line was skipped; *length is its length. kError: *error says why (the
  // reader is then at its end). line_no() is the number of the line just returned.
  Got Next(std::string* line, size_t max, uint64_t* length, Status* error);
  size_t line_no() const { return line_no_; }

  // The first up-to-n bytes not yet consumed, without consuming them (format sniffing).
  Result<std::string_view> Peek(size_t n);
  // Raw reads that start with what is buffered (XML and HTML readers consume the rest of
  // the stream this way).
  Result<size_t> Read(char* buf, size_t cap);
  uint64_t raw_bytes() const { return src_->raw_bytes(); }
  // The read error met so far, if any (it is also returned by Next and Read in its turn).
  const Status& error() const { return error_; }

 private:
  Status Fill();  // appends to buf_, sets eof_
  std::unique_ptr<ByteSource> src_;
  std::string buf_;
  size_t pos_ = 0;
  bool eof_ = false;
  Status error_;  // a read error met while filling, reported after the bytes before it
  size_t line_no_ = 0;
};

// Decodes raw input text to UTF-8 (see dyad/reader.h): returns the error reason
// ("not UTF-8 and not repairable ...") or the text, with the repair count and the encoding
// ("" or "windows-1252").
struct Decoded {
  std::string text;
  size_t repaired = 0;
  std::string encoding;
};
Result<Decoded> DecodeText(std::string_view raw);

// "12.0 MB", "512 KB", "300 bytes".
std::string HumanBytes(uint64_t n);

}  // namespace dyad::reader_internal
