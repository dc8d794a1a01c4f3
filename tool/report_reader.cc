// The schema check and typed accessors of report_reader.h.
#include "report_reader.h"

#include "checked.h"

namespace kstack {

[[noreturn]] void fail_at(const JsonValue& value, const std::string& message) {
  throw InputError(value.offset(), message);
}

const JsonValue& member(const JsonValue& object, const char* key, const char* what) {
  const JsonValue* value = object.find(key);
  if (!value) fail_at(object, std::string(what) + " has no '" + key + "'");
  return *value;
}

const JsonArray& array_member(const JsonValue& object, const char* key, const char* what) {
  const JsonValue& value = member(object, key, what);
  if (!value.as_array()) fail_at(value, std::string("'") + key + "' is not an array");
  return *value.as_array();
}

std::string string_member(const JsonValue& object, const char* key, const char* what) {
  const JsonValue& value = member(object, key, what);
  if (!value.as_string()) fail_at(value, std::string("'") + key + "' is not a string");
  return *value.as_string();
}

bool bool_member(const JsonValue& object, const char* key, const char* what) {
  const JsonValue& value = member(object, key, what);
  if (!value.as_bool()) fail_at(value, std::string("'") + key + "' is not a boolean");
  return *value.as_bool();
}

std::uint64_t uint_member(const JsonValue& object, const char* key, const char* what,
                          std::uint64_t max) {
  const JsonValue& value = member(object, key, what);
  const std::optional<std::uint64_t> number = value.as_uint64();
  if (!number || *number > max)
    fail_at(value, std::string("'") + key + "' is not an integer from 0 to " + std::to_string(max));
  return *number;
}

void check_report_schema(const JsonValue& document) {
  if (!document.as_object()) fail_at(document, "not a kstack report: expected a JSON object");
  const JsonValue* schema = document.find("schema");
  if (!schema) {
    const JsonValue* format = document.find("format");
    if (format && format->as_string() && *format->as_string() == "kstack-dump")
      fail_at(*format,
              "a 'kstack dump' document, not a report: write one with 'kstack report "
              "--format=json'");
    fail_at(document, "not a kstack report: no 'schema'");
  }
  if (!schema->as_string() || *schema->as_string() != "kstack-report")
    fail_at(*schema, "not a kstack report: 'schema' is not \"kstack-report\"");
  const JsonValue& version = member(document, "version", "the report");
  const std::optional<std::uint64_t> number = version.as_uint64();
  if (!number) fail_at(version, "'version' is not an unsigned integer");
  if (*number > kReadableReportVersion)
    fail_at(version, "kstack-report version " + std::to_string(*number) +
                         " is newer than this kstack supports (" +
                         std::to_string(kReadableReportVersion) + ")");
  if (*number != kReadableReportVersion)
    fail_at(version, "unsupported kstack-report version " + std::to_string(*number));
}

}  // namespace kstack
