#include "nlp/model_file.h"

#include "util/binary.h"

namespace dyad::nlp {
namespace {

std::string SerializeMeta(const std::map<std::string, std::string>& meta) {
  BinaryWriter w;
  w.U32(static_cast<uint32_t>(meta.size()));
  for (const auto& [k, v] : meta) {
    w.Str(k);
    w.Str(v);
  }
  return w.Take();
}

}  // namespace

std::string ModelFile::Serialize() {
  sections["meta"] = SerializeMeta(meta);
  BinaryWriter w;
  w.Bytes(kModelMagic, sizeof kModelMagic);
  w.U32(kModelFormatVersion);
  w.U32(static_cast<uint32_t>(sections.size()));
  uint64_t fp = Fnv1a64("");
  for (const auto& [name, bytes] : sections) {
    w.Str(name);
    w.U64(bytes.size());
    w.Bytes(bytes.data(), bytes.size());
    w.U64(Fnv1a64(bytes));
    fp = Fnv1a64(bytes, Fnv1a64(name, fp));
  }
  w.U64(fp);
  fingerprint = fp;
  return w.Take();
}

Result<ModelFile> ModelFile::Parse(std::string_view bytes, const std::string& origin) {
  if (bytes.size() < sizeof kModelMagic ||
      std::string_view(bytes.data(), sizeof kModelMagic) !=
          std::string_view(kModelMagic, sizeof kModelMagic))
    return Status::Error(origin + ": not a dyad model file (bad magic)");
  BinaryReader r(bytes.substr(sizeof kModelMagic), origin);
  uint32_t version = r.U32();
  if (r.ok() && version != kModelFormatVersion)
    return Status::Error(origin + ": model format version " + std::to_string(version) +
                         " is not supported by this dyad (reads version " +
                         std::to_string(kModelFormatVersion) +
                         "); retrain it with `dyad train` or use a matching dyad");
  uint32_t n = r.U32();
  if (n > 64) r.Fail("implausible section count " + std::to_string(n));
  ModelFile m;
  uint64_t fp = Fnv1a64("");
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    std::string name = r.Str();
    uint64_t len = r.U64();
    if (len > r.remaining()) {
      r.Fail("section '" + name + "' truncated");
      break;
    }
    std::string data(r.View(len));
    uint64_t sum = r.U64();
    if (r.ok() && sum != Fnv1a64(data)) r.Fail("section '" + name + "' is corrupted (checksum)");
    fp = Fnv1a64(data, Fnv1a64(name, fp));
    m.sections[name] = std::move(data);
  }
  uint64_t stored = r.U64();
  if (r.ok() && stored != fp) r.Fail("fingerprint mismatch (file corrupted)");
  DYAD_RETURN_IF_ERROR(r.Finish());
  m.fingerprint = fp;
  auto it = m.sections.find("meta");
  if (it != m.sections.end()) {
    BinaryReader mr(it->second, origin + " meta");
    uint32_t k = mr.U32();
    for (uint32_t i = 0; i < k && mr.ok(); ++i) {
      std::string key = mr.Str();
      m.meta[key] = mr.Str();
    }
    DYAD_RETURN_IF_ERROR(mr.Finish());
  }
  return m;
}

Result<ModelFile> ModelFile::Load(const std::string& path) {
  DYAD_ASSIGN_OR_RETURN(std::string bytes, ReadFile(path));
  return Parse(bytes, path);
}

Status ModelFile::Save(const std::string& path) { return WriteFileAtomic(path, Serialize()); }

}  // namespace dyad::nlp
