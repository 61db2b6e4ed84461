// Document readers: every input a user has, one record at a time, nothing silently dropped.
//
// A DocumentReader is opened on a list of paths ("-" is stdin, a directory is walked
// recursively in sorted order, hidden entries skipped) and returns, in input order, one
// ReaderRecord per input record: either a Document or a rejection with a reason. Every record
// of every file ends as exactly one of these; a file that cannot be opened or read, or whose
// rest cannot be read (truncated gzip stream, malformed XML, ...), is a rejection too.
//
// Formats (ReaderOptions::format, or chosen per file by the extension under a .gz/.zst
// suffix; stdin is sniffed):
//   text          .txt and anything else: a file is a document. A file larger than
//                 text_chunk_bytes is cut at blank lines into chunks of about that size (a
//                 blank line always ends a sentence, so no sentence is split); chunk N > 0 has
//                 the id "file#N". A chunk that reaches max_document_bytes without a blank
//                 line is cut at a line end.
//   jsonl         .jsonl .json .ndjson: one JSON object a line with a string "text" and
//                 optional "id", "date", "title", "source", "url"; other members are kept in
//                 Document::extra as raw JSON. Blank lines are skipped.
//   petrarch-xml  .xml: PETRARCH <Sentence> and UniversalPetrarch <Article> records
//                 (dyad/petrarch_xml.h; entity declarations refused, so no XML bombs).
//   html          .html .htm .xhtml: one document a file, the article body extracted with
//                 libgumbo (see ExtractHtmlArticle).
//   conllu        .conllu .conll: pre-parsed input. A document is a "# newdoc" group (or,
//                 without newdoc comments, about text_chunk_bytes of text cut at sentence
//                 ends); Document::sentences carries the words, tags and heads.
// Compression: gzip (.gz) and zstd (.zst) are recognised by their magic bytes, whatever the
// name (a plain file named .gz is read as plain), and decompressed as a stream; a truncated
// or corrupt stream ends the file with a rejection naming the line it reached.
//
// Memory is bounded by the limits, whatever the input: a line longer than max_line_bytes is
// skipped up to its newline without being stored, then rejected with its length; a document
// longer than max_document_bytes is rejected; an HTML file is read whole up to
// max_file_bytes.
//
// Text: invalid UTF-8 is repaired to U+FFFD (text::RepairUtf8), counted in
// ReaderRecord::repaired. Text with no valid multi-byte UTF-8 sequence, some bytes >= 0x80
// and no control characters is legacy 8-bit text and is converted from Windows-1252 (a
// superset of printable Latin-1; ReaderRecord::encoding says so). Text where more than 1 byte
// in 20 is a control character (other than tab, CR, LF, FF) or more than 1 in 3 starts an
// invalid sequence (binary data), or that starts with a UTF-16 byte-order mark, is rejected:
// "not UTF-8 and not repairable". A UTF-8
// byte-order mark at the start of a file is dropped.
//
// Dates: see NormalizeNewsDate. A document without a date gets ReaderOptions::default_date;
// one with a date that cannot be read is rejected ("date '03/03/2026' is ambiguous ...").
// HTML <meta> dates that cannot be read are ignored (web metadata is often junk).
//
// Messages: ReaderRecord::origin names the place ("file:line", "file", "<stdin>:3"); the
// reason does not repeat it. Callers print "origin: rejected: reason".
//
// Thread safety: a DocumentReader is used by one thread at a time (the pipeline's reading
// thread); the free functions are pure and thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dyad/status.h"
#include "dyad/types.h"

namespace dyad {

struct ReaderOptions {
  // "" chooses by extension (and sniffs stdin); otherwise one of "text", "jsonl",
  // "petrarch-xml", "html", "conllu", applied to every input.
  std::string format;
  // Longest document text, in bytes (after extraction and repair). Callers expose it as
  // --max-doc-bytes (the name used in messages).
  size_t max_document_bytes = 1u << 20;
  // Longest input line (JSONL line, text line, CoNLL-U line), --max-line-bytes. For text the
  // effective limit is min(max_line_bytes, max_document_bytes).
  size_t max_line_bytes = 4u << 20;
  // Largest HTML file (read whole, decompressed size), and largest CoNLL-U sentence block.
  size_t max_file_bytes = 16u << 20;
  // Text files and CoNLL-U inputs without newdoc are cut into documents of about this size.
  size_t text_chunk_bytes = 64u << 10;
  // YYYY-MM-DD given to documents that carry no date ("" leaves them without).
  std::string default_date;
  // HTML nested deeper than this many open elements is rejected before it reaches the parser
  // (deep nesting makes HTML tree construction quadratic).
  int max_html_depth = 400;
};

struct ReaderRecord {
  // Where the record is: "file:line" (JSONL, text chunk, XML record, CoNLL-U document),
  // "file" (HTML, a file that cannot be opened), "<stdin>:line".
  std::string origin;
  // Non-empty: the record is rejected for this reason, and `doc` is empty apart from what
  // was read before the problem (its id may be set).
  std::string reject;
  // The whole file, or the rest of it from `origin` on, could not be read (cannot open,
  // truncated or corrupt compressed stream, malformed XML, not UTF-8, ...).
  bool file_error = false;
  Document doc;
  // The format the record was read as ("text", "jsonl", "petrarch-xml", "html", "conllu").
  std::string format;
  // CoNLL-U: doc.sentences hold tokens and words with forms. `pretokenized`: use them
  // instead of segmenting doc.text (Pipeline::AnnotateWords). `preparsed`: every word also
  // has a UPOS and a head (validated: heads form a tree), so tagging and parsing can be
  // skipped entirely.
  bool pretokenized = false;
  bool preparsed = false;
  // Invalid UTF-8 sequences replaced by U+FFFD in doc.text, or bytes converted when
  // `encoding` is "windows-1252" (then the text was not UTF-8 at all).
  size_t repaired = 0;
  std::string encoding;
  // PETRARCH XML: <Config> elements preceded this record (dyad code does not apply them).
  bool petrarch_config = false;

  bool ok() const { return reject.empty(); }
};

class DocumentReader {
 public:
  // Nothing is opened before the first Next(); an empty list reads stdin.
  explicit DocumentReader(std::vector<std::string> paths, ReaderOptions options = {});
  ~DocumentReader();
  DocumentReader(const DocumentReader&) = delete;
  DocumentReader& operator=(const DocumentReader&) = delete;

  // The next record in input order, or nullopt when every input has been read. Never fails:
  // problems are rejection records.
  std::optional<ReaderRecord> Next();

  // Counts so far.
  size_t documents() const;   // records returned with a document
  size_t rejections() const;  // records returned as rejections
  bool open_failed() const;   // some path could not be opened (or does not exist)
  // Bytes consumed from the files so far (compressed bytes for compressed files): with
  // InputBytes, a progress measure.
  uint64_t bytes_read() const;
  // The total size of the regular files the paths name (directories walked the same way),
  // 0 for stdin. For progress bars; costs one stat per file.
  static uint64_t InputBytes(const std::vector<std::string>& paths);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The format a path is read as when ReaderOptions::format is "": by the extension under
// any .gz/.zst/.zstd suffix ("a.jsonl.gz" -> "jsonl"); "text" for anything unknown.
std::string FormatForPath(std::string_view path);

// A news date -> "YYYY-MM-DD". Accepted (the time and time zone, when present, are ignored:
// the date is the one written):
//   2026-03-03  20260303  2026/03/03  2026-03-03T10:00:00Z  2026-03-03 10:00:00+01:00
//   March 3, 2026   Mar. 3 2026   3 March 2026   03-Mar-2026   Tuesday, March 3, 2026
//   Tue, 03 Mar 2026 10:00:00 GMT (RFC 2822)
// Refused: numeric dates with the year last (03/03/2026, 3.3.2026, 03-03-2026), because the
// day/month order differs between sources; two-digit years; impossible calendar dates. The
// error message starts with "date '<as written>'" and says what to write instead.
Result<std::string> NormalizeNewsDate(std::string_view date);

// What ExtractHtmlArticle finds in a page.
struct HtmlArticle {
  std::string title;  // og:title, else <title>, else the first <h1>
  std::string text;   // the article body: paragraphs separated by blank lines
  std::string date;   // raw: article:published_time, date/pubdate metas, <time datetime>
  std::string url;    // <link rel=canonical>, else og:url
};

// Extracts the article from an HTML page (UTF-8, or repaired first). The body is the first
// <article>, else <main> or [role=main], else <body>; inside it, text from paragraphs,
// headings, list items, quotations, preformatted and table cells, dropping nav, header,
// footer, aside, menus, forms, scripts, styles, figures and elements whose class or id names
// boilerplate (nav, menu, share, social, cookie, comment, related, sidebar, breadcrumb,
// advert, newsletter, subscribe, footer, header). Without <article>/<main>, only paragraph-like
// blocks (<p>, headings, quotations, <pre>) are kept when there are any. An error when the
// page is nested deeper than `max_depth`.
Result<HtmlArticle> ExtractHtmlArticle(std::string_view html, int max_depth = 400);

}  // namespace dyad
