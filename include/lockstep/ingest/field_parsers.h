// Parsers for the value types of ../shared/FORMAT.md, shared by every reader.
// Each returns false on malformed input and leaves *out untouched.
#ifndef LOCKSTEP_INGEST_FIELD_PARSERS_H_
#define LOCKSTEP_INGEST_FIELD_PARSERS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lockstep {

// A decimal integer, optional sign, surrounding blanks allowed. "12.0" is
// accepted as 12 (exports write counts as floats); "12.5" is not.
bool ParseInt64(std::string_view text, int64_t* out);
// A decimal number ("12.50", "1e3").
bool ParseDecimal(std::string_view text, double* out);
// Exactly 16 hex digits, optionally prefixed by "0x".
bool ParseHash64(std::string_view text, uint64_t* out);
// "true"/"false", "TRUE"/"FALSE", "1"/"0".
bool ParseBool(std::string_view text, bool* out);

// Splits a list cell into items, appending views to *items. Accepts a JSON
// array (["a","b"], [1,2]), a Python-style list (['a', "b"]) as the Twitter
// archive writes them, or a space-separated string ("a b c"). Items that need
// unescaping are written to *scratch, which must outlive the views; the
// function reserves it once, so earlier views stay valid. A leading '#' is
// not stripped here. Returns false on a malformed bracketed list, and on one
// holding a nested array or object, null/None or a boolean.
bool ParseList(std::string_view text, std::string* scratch, std::vector<std::string_view>* items);

}  // namespace lockstep

#endif  // LOCKSTEP_INGEST_FIELD_PARSERS_H_
