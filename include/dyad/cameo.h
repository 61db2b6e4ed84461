// The CAMEO event ontology: every event code with its root, QuadClass, Goldstein score and
// name, compiled into the library (src/cameo/cameo_table.inc, generated from the CAMEO
// codebook's table by src/cameo/gen_cameo_table.sh).
//
// Codes are the strings CAMEO uses: two digits for a root ("19"), three for a category
// ("190"), four for a sub-category ("1903"); the leading zero matters ("010" is not "10").
// Besides real codes, the dictionaries use three special codes that are not events:
// "---" (null: recognised but not coded), "###" (discard the sentence) and "+++" (complex:
// needs a human).
//
// Thread safety: everything here reads a constant table; call it from any thread.
#pragma once

#include <span>
#include <string_view>

namespace dyad::cameo {

enum class QuadClass : int {
  kVerbalCooperation = 1,
  kMaterialCooperation = 2,
  kVerbalConflict = 3,
  kMaterialConflict = 4,
};

// One row of the codebook. The strings point into static storage.
struct EventType {
  const char* code;  // "0231"
  const char* root;  // "02": the two-digit cue category
  int quad_class;    // 1..4, see QuadClass
  double goldstein;  // -10 (most conflictual) .. +10 (most cooperative)
  const char* name;  // "Appeal for economic aid"
};

inline constexpr std::string_view kNullCode = "---";
inline constexpr std::string_view kDiscardCode = "###";
inline constexpr std::string_view kComplexCode = "+++";

// All codes, sorted by code (byte order), roots included ("01", "010", "011", ...).
std::span<const EventType> AllEventTypes();

// The row for `code`, or nullptr if `code` is not a CAMEO event code.
const EventType* Find(std::string_view code);

// True if `code` is a CAMEO event code (special codes are not).
bool IsValid(std::string_view code);

// True for "---", "###" and "+++".
bool IsSpecialCode(std::string_view code);

// The two-digit root of a valid code ("0231" -> "02"), or "" if `code` is not valid.
std::string_view RootOf(std::string_view code);

// The closest valid ancestor of `code`, walking "0231" -> "023" -> "02", or "" if none.
// Codes in the dictionaries are sometimes finer than the codebook; this is how a coder falls
// back to the category the codebook knows. Returns `code` itself when it is valid.
std::string_view NearestValid(std::string_view code);

// QuadClass of a valid code, or 0 when `code` is not valid.
int QuadClassOf(std::string_view code);

// "Verbal cooperation", ... for 1..4; "" otherwise.
std::string_view QuadClassName(int quad_class);

}  // namespace dyad::cameo
