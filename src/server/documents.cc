#include "server/documents.h"

#include "dyad/json.h"
#include "dyad/petrarch_xml.h"
#include "dyad/text.h"
#include "server/params.h"

#include <set>

namespace dyad::server {
namespace {

constexpr size_t kMaxIdBytes = 512;
constexpr size_t kMaxFieldBytes = 4096;  // title, source, url

// A date as `dyad code` takes it: YYYY-MM-DD, YYYYMMDD, or an ISO date-time.
Result<std::string> DocDate(std::string_view d) {
  if (d.size() > 10 && (d[10] == 'T' || d[10] == ' ')) d = d.substr(0, 10);
  std::string out = NormalizePetrarchDate(d);
  if (out.empty() || !IsIsoDate(out))
    return Status::Error("date '" + std::string(d.substr(0, 40)) +
                         "' is not YYYY-MM-DD or YYYYMMDD");
  return out;
}

Result<Document> FromJson(const JsonValue& v, size_t max_text_bytes = SIZE_MAX) {
  if (v.type != JsonValue::Type::kObject) return Status::Error("not a JSON object");
  const JsonValue* text = v.Find("text");
  if (!text || !text->is_string()) return Status::Error("missing string field \"text\"");
  if (text->str.size() > max_text_bytes)
    return Status::Error("\"text\" is longer than " + std::to_string(max_text_bytes) + " bytes");
  Document d;
  d.text = text::RepairUtf8(text->str);
  if (const JsonValue* id = v.Find("id")) {
    if (id->type != JsonValue::Type::kString && id->type != JsonValue::Type::kNumber)
      return Status::Error("\"id\" must be a string or a number");
    d.id = id->AsText();
    if (d.id.size() > kMaxIdBytes)
      return Status::Error("\"id\" is longer than " + std::to_string(kMaxIdBytes) + " bytes");
    d.id = text::RepairUtf8(d.id);
  }
  for (const char* k : {"title", "source", "url", "date"}) {
    const JsonValue* x = v.Find(k);
    if (!x || x->type == JsonValue::Type::kNull) continue;
    if (x->type != JsonValue::Type::kString && x->type != JsonValue::Type::kNumber)
      return Status::Error(std::string("\"") + k + "\" must be a string");
    std::string val = text::RepairUtf8(x->AsText());
    if (val.size() > kMaxFieldBytes)
      return Status::Error(std::string("\"") + k + "\" is longer than " +
                           std::to_string(kMaxFieldBytes) + " bytes");
    std::string_view key = k;
    if (key == "title") d.title = std::move(val);
    if (key == "source") d.source = std::move(val);
    if (key == "url") d.url = std::move(val);
    if (key == "date" && !val.empty()) {
      DYAD_ASSIGN_OR_RETURN(d.date, DocDate(val));
    }
  }
  return d;
}

}  // namespace

Result<CodeRequest> ParseCodeRequest(std::string_view body, size_t max_text_bytes) {
  auto v = ParseJson(body, 8);
  if (!v.ok()) return Status::Error("the body is not JSON: " + v.status().message());
  if (v->type == JsonValue::Type::kObject)
    for (const auto& [k, _] : v->object)
      if (k != "text" && k != "date")
        return Status::Error("unknown field '" + k.substr(0, 40) + "' (known: text, date)");
  auto d = FromJson(*v, max_text_bytes);
  if (!d.ok()) return d.status();
  if (d->text.find_first_not_of(" \t\r\n") == std::string::npos)
    return Status::Error("\"text\" is empty: paste some news text");
  CodeRequest r;
  r.doc = std::move(*d);
  r.doc.id = "pasted";
  return r;
}

Result<std::vector<Document>> ParseDocuments(std::string_view body, size_t max_documents) {
  std::vector<Document> docs;
  std::set<std::string> ids;
  auto add = [&](const JsonValue& v, const std::string& where) -> Status {
    if (docs.size() >= max_documents)
      return Status::Error("more than " + std::to_string(max_documents) +
                           " documents in one request: send them in several");
    auto d = FromJson(v);
    if (!d.ok()) return d.status().With(where);
    if (d->id.empty()) return Status::Error(where + ": missing \"id\" (needed to store it)");
    if (!ids.insert(d->id).second)
      return Status::Error(where + ": the id '" + d->id.substr(0, 80) +
                           "' appears twice in this request");
    docs.push_back(std::move(*d));
    return Status::Ok();
  };
  size_t start = body.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return Status::Error("the body is empty: send documents");
  if (body[start] == '[') {
    auto v = ParseJson(body, 8);
    if (!v.ok()) return Status::Error("the body is not JSON: " + v.status().message());
    for (size_t i = 0; i < v->array.size(); ++i)
      DYAD_RETURN_IF_ERROR(add(v->array[i], "document " + std::to_string(i)));
  } else {
    size_t line_no = 0, pos = 0;
    while (pos < body.size()) {
      size_t nl = body.find('\n', pos);
      std::string_view line = body.substr(pos, nl == std::string_view::npos ? body.npos : nl - pos);
      pos = nl == std::string_view::npos ? body.size() : nl + 1;
      ++line_no;
      if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      std::string where = "line " + std::to_string(line_no);
      auto v = ParseJson(line, 8);
      if (!v.ok()) return Status::Error(where + ": not JSON: " + v.status().message());
      DYAD_RETURN_IF_ERROR(add(*v, where));
    }
  }
  if (docs.empty()) return Status::Error("no documents in the body");
  return docs;
}

}  // namespace dyad::server
