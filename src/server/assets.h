// The dashboard's files, compiled into the binary from web/dist by embed_assets.cmake. The
// server answers static requests from this table only, so no request can reach the file
// system.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

namespace dyad::server {

struct Asset {
  const char* path;          // "/index.html"
  const char* content_type;  // "text/html; charset=utf-8"
  const unsigned char* data;
  size_t size;
  const char* etag;  // quoted, from the file's SHA-256
};

// Every embedded file (generated).
std::span<const Asset> Assets();

// The asset a URL path names ("/" is "/index.html"), or nullptr. Exact matches only.
const Asset* FindAsset(std::string_view path);

}  // namespace dyad::server
