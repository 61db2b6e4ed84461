// Request bodies that carry text: POST /api/code and POST /api/documents.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "dyad/status.h"
#include "dyad/types.h"

namespace dyad::server {

struct CodeRequest {
  Document doc;  // id "pasted", text repaired to valid UTF-8, date YYYY-MM-DD or ""
};

// {"text": "...", "date": "YYYY-MM-DD"?}. The text must be a non-empty string of at most
// `max_text_bytes` (the error then says "longer than"); the date is optional.
Result<CodeRequest> ParseCodeRequest(std::string_view body, size_t max_text_bytes);

// JSON documents as `dyad code` reads them: JSON lines (one object a line, blank lines
// skipped) or one JSON array of objects, each with a string "text" and an "id" (a string or
// number; required here, since re-posting a document must replace it, not add a copy), and
// optionally "date" (YYYY-MM-DD, YYYYMMDD or an ISO date-time), "title", "source", "url".
// All or nothing: the first bad document is an error naming it (its line or index); ids must
// be unique within the request; at most `max_documents`.
Result<std::vector<Document>> ParseDocuments(std::string_view body, size_t max_documents);

}  // namespace dyad::server
