// Versioned migrations of the store's schema, the same tables for both backends.
#pragma once

#include <string>

#include "store/db.h"

namespace dyad::store::internal {

// Creates schema_version if needed and applies every migration newer than the database's
// version, each once and in its own transaction (with the write lock held, so two processes
// opening a new database at once do not both apply it). Returns the schema version.
// `up_to` stops at an older version (tests of the migrations themselves).
Result<int> Migrate(Conn& conn, int up_to = 1 << 30);

// The time now, "YYYY-MM-DDTHH:MM:SSZ" (UTC).
std::string NowUtc();

}  // namespace dyad::store::internal
