#include "nlp/model_file.h"

#include <zstd.h>

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

// Level 19: compressing the shipped model takes ~15 s once per training; reading it back is
// as fast at any level.
constexpr int kZstdLevel = 19;

}  // namespace

std::string ModelFile::Serialize() {
  sections["meta"] = SerializeMeta(meta);
  BinaryWriter w;
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
  const std::string body = w.Take();

  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  std::string stored(ZSTD_compressBound(body.size()), '\0');
  size_t z = 0;
  if (cctx) {
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, kZstdLevel);
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
    z = ZSTD_compress2(cctx, stored.data(), stored.size(), body.data(), body.size());
    ZSTD_freeCCtx(cctx);
  }
  BinaryWriter out;
  out.Bytes(kModelMagic, sizeof kModelMagic);
  if (!cctx || ZSTD_isError(z)) {  // only when memory runs out: write the body as version 1
    out.U32(1);
    out.Bytes(body.data(), body.size());
    return out.Take();
  }
  stored.resize(z);
  out.U32(kModelFormatVersion);
  out.U64(body.size());
  out.U64(stored.size());
  out.Bytes(stored.data(), stored.size());
  return out.Take();
}

Result<ModelFile> ModelFile::Parse(std::string_view bytes, const std::string& origin) {
  if (bytes.size() < sizeof kModelMagic ||
      std::string_view(bytes.data(), sizeof kModelMagic) !=
          std::string_view(kModelMagic, sizeof kModelMagic))
    return Status::Error(origin + ": not a dyad model file (bad magic)");
  BinaryReader head(bytes.substr(sizeof kModelMagic), origin);
  const uint32_t version = head.U32();
  if (head.ok() && (version < kModelFormatOldest || version > kModelFormatVersion))
    return Status::Error(origin + ": model format version " + std::to_string(version) +
                         " is not supported by this dyad (reads versions " +
                         std::to_string(kModelFormatOldest) + " to " +
                         std::to_string(kModelFormatVersion) +
                         "); retrain it with `dyad train` or use a matching dyad");
  std::string unpacked;  // the decompressed body (version 2)
  std::string_view body = bytes.substr(std::min(bytes.size(), sizeof kModelMagic + 4));
  if (head.ok() && version == 2) {
    const uint64_t body_len = head.U64(), stored_len = head.U64();
    if (head.ok() && body_len > kModelMaxBody)
      head.Fail("implausible body length " + std::to_string(body_len));
    // Weight tables compress about 1.6x; a body claiming far more than its bytes could hold is
    // refused before anything is allocated for it.
    if (head.ok() && body_len > 64 * stored_len + (1u << 20))
      head.Fail("body length " + std::to_string(body_len) + " is implausible for " +
                std::to_string(stored_len) + " compressed bytes");
    if (head.ok() && stored_len != head.remaining())
      head.Fail(stored_len > head.remaining() ? "truncated" : "trailing bytes after the body");
    const std::string_view stored = head.ok() ? head.View(stored_len) : std::string_view();
    if (head.ok() && ZSTD_getFrameContentSize(stored.data(), stored.size()) != body_len)
      head.Fail("compressed body does not match its stated length");
    if (head.ok()) {
      unpacked.resize(body_len);
      const size_t z =
          ZSTD_decompress(unpacked.data(), unpacked.size(), stored.data(), stored.size());
      if (ZSTD_isError(z))
        head.Fail(std::string("compressed body is corrupted (") + ZSTD_getErrorName(z) + ")");
      else if (z != body_len)
        head.Fail("compressed body has the wrong length");
      body = unpacked;
    }
  }
  DYAD_RETURN_IF_ERROR(head.status());
  BinaryReader r(body, origin);
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
