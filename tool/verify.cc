// `kstack verify` (verify.h): reading the runtime's results, setting each
// measured entry against its static bound, and printing the verdicts.
#include "verify.h"

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <map>
#include <ostream>
#include <set>

#include "checked.h"
#include "json_reader.h"
#include "json_writer.h"
#include "paths.h"
#include "report_printers.h"
#include "report_reader.h"
#include "text_table.h"

namespace kstack {

namespace {

constexpr std::uint64_t kMaxBytes = UINT64_MAX;

Measurement parse_measurement(std::string_view line, std::uint64_t offset) {
  JsonValue record;
  try {
    record = parse_json(line);
  } catch (const InputError& e) {
    throw InputError(offset + e.offset, e.what());
  }
  const char* what = "a measurement";
  try {
    if (!record.as_object()) fail_at(record, "a measurement is not a JSON object");
    const std::uint64_t version = uint_member(record, "kstack_runtime", what, kMaxBytes);
    if (version != kReadableResultsVersion)
      fail_at(*record.find("kstack_runtime"),
              "results version " + std::to_string(version) + " is not " +
                  std::to_string(kReadableResultsVersion) + ": a newer kstack wrote them");
    Measurement m;
    m.offset = offset;
    m.pid = uint_member(record, "pid", what, kMaxBytes);
    m.thread = uint_member(record, "thread", what, kMaxBytes);
    const JsonValue& entry = member(record, "entry", what);
    if (!entry.is_null()) m.entry = string_member(record, "entry", what);
    const JsonValue* file = record.find("file");  // absent: a runtime that did not say
    if (file && !file->is_null()) m.file = string_member(record, "file", what);
    m.module = string_member(record, "module", what);
    const std::string address = string_member(record, "address", what);
    char* end = nullptr;
    m.address = std::strtoull(address.c_str(), &end, 16);
    if (address.rfind("0x", 0) != 0 || *end != '\0')
      fail_at(member(record, "address", what), "'address' is not a hexadecimal number");
    m.peak = uint_member(record, "peak", what, kMaxBytes);
    m.painted = uint_member(record, "painted", what, kMaxBytes);
    m.overflowed = bool_member(record, "overflowed", what);
    m.ended = string_member(record, "ended", what);
    return m;
  } catch (const InputError& e) {
    throw InputError(offset + e.offset, e.what());
  }
}

// Whether a unit compiled from MAIN_INPUT is the source FILE of a symbol
// (its STT_FILE): the same name, or one the end of the other.
bool same_source(std::string_view main_input, std::string_view file) {
  return main_input == file || path_ends_with(main_input, file) || path_ends_with(file, main_input);
}

// The functions of the program named NAME (or with an alias of that name),
// superseded definitions left out. Of several, FILE (a local symbol's
// source file) keeps the local functions of the units compiled from it.
std::vector<std::uint32_t> functions_named(const Report& report, std::string_view name,
                                           const std::optional<std::string>& file) {
  std::vector<std::uint32_t> found;
  const SymbolTable& symbols = report.symbols();
  for (std::uint32_t node = 0; node < symbols.size(); ++node)
    if (!symbols.superseded(node) && symbols.function(node).name == name) found.push_back(node);
  if (found.empty()) {
    for (std::uint32_t node = 0; node < symbols.size(); ++node) {
      const std::vector<const std::string*>& aliases = report.alias_names(node);
      if (!symbols.superseded(node) &&
          std::any_of(aliases.begin(), aliases.end(),
                      [&](const std::string* a) { return *a == name; }))
        found.push_back(node);
    }
  }
  if (found.size() > 1 && file) {
    found.erase(std::remove_if(found.begin(), found.end(),
                               [&](std::uint32_t node) {
                                 return symbols.function(node).binding != Binding::kLocal ||
                                        !same_source(symbols.unit_of(node).main_input, *file);
                               }),
                found.end());
  }
  return found;
}

std::string describe_code_address(const Measurement& m) {
  char address[32];
  std::snprintf(address, sizeof address, "%#llx", static_cast<unsigned long long>(m.address));
  return m.module + "+" + address;
}

Verdict judge(const Depth& bound, const Measurement& deepest) {
  if (!bound.complete) return Verdict::kIncomplete;
  if (deepest.peak > bound.bytes) return Verdict::kAboveBound;
  if (deepest.overflowed) return Verdict::kUnpainted;
  return Verdict::kProved;
}

// Throws if TEXT is one JSON document of another kstack kind (a report, a
// dump), written across many lines: naming it says more than a syntax error
// in its first line would.
void reject_other_documents(std::string_view text) {
  JsonValue document;
  try {
    document = parse_json(text, {"functions", "entries", "units", "indirect_calls"});
  } catch (const InputError&) {
    return;
  }
  const JsonValue* schema = document.find("schema");
  if (schema && schema->as_string())
    throw InputError(0, "a '" + *schema->as_string() + "' document, not kstack runtime results");
}

}  // namespace

std::vector<Measurement> parse_measurements(std::string_view text) {
  std::vector<Measurement> measurements;
  std::uint64_t offset = 0;
  while (offset < text.size()) {
    const std::size_t end = std::min(text.find('\n', offset), text.size());
    const std::string_view line = text.substr(offset, end - offset);
    if (line.find_first_not_of(" \t\r") != std::string_view::npos) {
      try {
        measurements.push_back(parse_measurement(line, offset));
      } catch (const InputError&) {
        if (measurements.empty()) reject_other_documents(text);
        throw;
      }
    }
    offset = end + 1;
  }
  return measurements;
}

namespace {

// Each verdict's id (JSON) and its spelling in the table, by Verdict.
struct VerdictNames {
  const char* id;
  const char* shown;
};
constexpr VerdictNames kVerdictNames[] = {
    {"proved", "proved"},         {"above_bound", "ABOVE BOUND"},
    {"incomplete", "incomplete"}, {"painting_full", "painting full"},
    {"no_record", "no record"},   {"ambiguous", "ambiguous"},
};
static_assert(std::size(kVerdictNames) == static_cast<std::size_t>(Verdict::kAmbiguous) + 1);

}  // namespace

const char* verdict_id(Verdict verdict) { return kVerdictNames[static_cast<int>(verdict)].id; }
const char* verdict_name(Verdict verdict) { return kVerdictNames[static_cast<int>(verdict)].shown; }

Verification verify_measurements(const Report& report, const std::vector<Measurement>& measurements,
                                 const std::vector<std::string>& inputs) {
  Verification result;
  std::set<std::string_view> input_names;
  for (const std::string& input : inputs) input_names.insert(file_name(input));
  const auto of_inputs = [&](const Measurement& m) {
    return input_names.count(file_name(m.module)) != 0;
  };
  const bool filter = std::any_of(measurements.begin(), measurements.end(), of_inputs);

  // Entries by symbol and, for a local one, source file.
  std::map<std::pair<std::string, std::string>, std::size_t> by_symbol;
  std::set<std::uint64_t> processes;
  for (const Measurement& m : measurements) {
    if (filter && !of_inputs(m)) {
      ++result.other_programs;
      if (std::find(result.other_modules.begin(), result.other_modules.end(), m.module) ==
          result.other_modules.end())
        result.other_modules.push_back(m.module);
      continue;
    }
    processes.insert(m.pid);
    const std::string name = m.entry ? *m.entry : describe_code_address(m);
    auto [it, added] =
        by_symbol.emplace(std::pair(name, m.file.value_or("")), result.entries.size());
    if (added) {
      result.entries.emplace_back();
      result.entries.back().name = name;
    }
    VerifiedEntry& entry = result.entries[it->second];
    entry.measurements.push_back(&m);
    if (!entry.deepest || m.peak > entry.deepest->peak) entry.deepest = &m;
  }
  result.processes = processes.size();
  // Two static entries of one name: each is shown with its file.
  std::map<std::string, std::size_t> names;
  for (const VerifiedEntry& entry : result.entries) ++names[entry.name];
  for (VerifiedEntry& entry : result.entries)
    if (names[entry.name] > 1 && entry.deepest->file)
      entry.name += " (" + *entry.deepest->file + ")";

  for (VerifiedEntry& entry : result.entries) {
    if (!entry.deepest->entry) continue;  // no symbol: no record to find
    const std::vector<std::uint32_t> nodes =
        functions_named(report, *entry.deepest->entry, entry.deepest->file);
    if (nodes.size() > 1) {
      entry.verdict = Verdict::kAmbiguous;
      continue;
    }
    if (nodes.empty()) continue;
    entry.node = nodes[0];
    const Depth& bound = report.depth_of(entry.node);
    entry.verdict = judge(bound, *entry.deepest);
    if (bound.complete && entry.deepest->peak > 0)
      entry.tightness = static_cast<double>(bound.bytes) / static_cast<double>(entry.deepest->peak);
    if (entry.verdict == Verdict::kAboveBound) ++result.above_bound;
  }
  return result;
}

namespace {

void print_errors(std::ostream& errors, const Report& report, const Verification& verification) {
  for (const VerifiedEntry& entry : verification.entries) {
    if (entry.verdict != Verdict::kAboveBound) continue;
    const Measurement& m = *entry.deepest;
    const Depth& bound = report.depth_of(entry.node);
    errors << "kstack: error: '" << entry.name << "': measured " << m.peak << " bytes (thread "
           << m.thread << " of process " << m.pid << "), above its complete static bound of "
           << bound.bytes << " bytes: the analysis is unsound here\n";
  }
}

std::size_t measurement_count(const Verification& verification) {
  std::size_t n = 0;
  for (const VerifiedEntry& e : verification.entries) n += e.measurements.size();
  return n;
}

}  // namespace

void print_verification_json(std::ostream& out, std::ostream& errors, const Report& report,
                             const Verification& verification, const std::string& producer) {
  print_errors(errors, report, verification);
  JsonWriter json(out);
  json.begin_object();
  json.field("schema", "kstack-verify");
  json.field("version", std::uint64_t{1});
  json.field("producer", std::string_view(producer));
  json.field("processes", std::uint64_t{verification.processes});
  json.field("measurements", std::uint64_t{measurement_count(verification)});
  json.field("above_bound", std::uint64_t{verification.above_bound});
  json.field("other_programs", std::uint64_t{verification.other_programs});
  json.key("entries");
  json.begin_array();
  for (const VerifiedEntry& entry : verification.entries) {
    const Measurement& m = *entry.deepest;
    json.begin_object();
    json.key("entry");
    json.string_or_null(m.entry.value_or(""));
    json.key("file");
    json.string_or_null(m.file.value_or(""));
    json.field("module", std::string_view(m.module));
    json.field("verdict", verdict_id(entry.verdict));
    json.field("runs", std::uint64_t{entry.measurements.size()});
    json.field("peak", m.peak);
    json.field("overflowed", m.overflowed);
    json.field("ended", std::string_view(m.ended));
    json.key("bound");
    if (entry.node == kNoFunction) {
      json.null();
      json.key("bound_complete");
      json.null();
    } else {
      const Depth& depth = report.depth_of(entry.node);
      json.value(depth.bytes);
      json.field("bound_complete", depth.complete);
    }
    json.key("tightness");
    if (entry.tightness)
      json.value(*entry.tightness);
    else
      json.null();
    json.end_object();
  }
  json.end_array();
  json.end_object();
}

void print_verification(std::ostream& out, std::ostream& errors, const Report& report,
                        const Verification& verification) {
  print_errors(errors, report, verification);
  out << "kstack verify: " << describe_count(verification.entries.size(), "entry function")
      << " measured " << describe_count(measurement_count(verification), "time") << " in "
      << verification.processes << (verification.processes == 1 ? " process, " : " processes, ")
      << verification.above_bound << " above a complete bound\n";
  if (verification.other_programs) {
    out << "left out: " << describe_count(verification.other_programs, "measurement")
        << " of other programs (";
    for (std::size_t i = 0; i < verification.other_modules.size(); ++i)
      out << (i ? ", " : "") << verification.other_modules[i];
    out << ")\n";
  }
  if (verification.entries.empty()) return;

  TextTable table({"measured", "bound", "tightness", "runs", "status", "entry", "ended"},
                  {true, true, true, true, false, false, false});
  for (const VerifiedEntry& entry : verification.entries) {
    const Measurement& m = *entry.deepest;
    const std::string measured = (m.overflowed ? ">= " : "") + std::to_string(m.peak);
    std::string bound = "-", tightness = "-";
    if (entry.node != kNoFunction) {
      const Depth& depth = report.depth_of(entry.node);
      bound = describe_bytes(depth.bytes, depth.complete);
    }
    if (entry.tightness) {
      char text[32];
      std::snprintf(text, sizeof text, "%.2f", *entry.tightness);
      tightness = text;
    }
    table.add({measured, bound, tightness, std::to_string(entry.measurements.size()),
               verdict_name(entry.verdict), entry.name, m.ended});
    switch (entry.verdict) {
      case Verdict::kIncomplete: {
        const Depth& depth = report.depth_of(entry.node);
        for (std::uint32_t reason : depth.reasons)
          table.note("lower bound: " + describe_reason(report, report.depth().reasons[reason]));
        if (depth.more_reasons) table.note("lower bound: and more reasons");
        break;
      }
      case Verdict::kUnpainted:
        table.note("the peak reached the end of the " + std::to_string(m.painted) +
                   " bytes painted: paint more with KSTACK_PAINT");
        break;
      case Verdict::kNoRecord:
        table.note(m.entry ? "no function of the inputs has this name"
                           : "the runtime found no symbol at this address");
        break;
      case Verdict::kAmbiguous:
        table.note("several functions of the inputs have this name");
        break;
      case Verdict::kProved:
      case Verdict::kAboveBound:
        break;
    }
  }
  out << '\n';
  table.print(out, "  ");
}

}  // namespace kstack
