// Reading a "kstack-report" document (report_json.cc, docs/report-json.md)
// back: the schema check and the typed member accessors that `kstack diff`
// and the plugin's warning table share. Every failure throws InputError
// (checked.h) at the offset of the value at fault, with a lowercase message
// that names the key, so the caller reports one line with the file's name.
#ifndef KSTACK_TOOL_REPORT_READER_H
#define KSTACK_TOOL_REPORT_READER_H

#include <cstdint>
#include <string>

#include "json_reader.h"

namespace kstack {

// The one "kstack-report" version this reader knows (report_json.cc writes
// it; a lit test diffs what the writer writes, so a bump shows up there).
inline constexpr std::uint64_t kReadableReportVersion = 1;

// Throws unless DOCUMENT is a kstack report of the readable version; a
// `kstack dump` document and a newer version are named as such.
void check_report_schema(const JsonValue& document);

[[noreturn]] void fail_at(const JsonValue& value, const std::string& message);

// The member KEY of OBJECT, which WHAT names in the message if it is
// missing ("an entry has no 'depth'"), of the type asked for.
const JsonValue& member(const JsonValue& object, const char* key, const char* what);
const JsonArray& array_member(const JsonValue& object, const char* key, const char* what);
std::string string_member(const JsonValue& object, const char* key, const char* what);
bool bool_member(const JsonValue& object, const char* key, const char* what);
std::uint64_t uint_member(const JsonValue& object, const char* key, const char* what,
                          std::uint64_t max);

}  // namespace kstack

#endif  // KSTACK_TOOL_REPORT_READER_H
