// SARIF 2.1.0 (OASIS), the format code-scanning services read: one run, two
// rules (an entry over its budget, an entry whose bound is incomplete), one
// result per such entry at the entry's definition, with its worst path as a
// code flow. Accepted entries are kept as suppressed results, with the
// annotation's reason as the justification.
#include "json_writer.h"
#include "report_printers.h"

namespace kstack {
namespace {

void write_location(JsonWriter& json, const std::string& file, std::uint32_t line,
                    std::uint32_t column, const std::string& message) {
  json.begin_object();
  json.key("physicalLocation");
  json.begin_object();
  json.key("artifactLocation");
  json.begin_object();
  json.field("uri", std::string_view(file));
  json.end_object();
  if (line) {
    json.key("region");
    json.begin_object();
    json.field("startLine", line);
    if (column) json.field("startColumn", column);
    json.end_object();
  }
  json.end_object();
  if (!message.empty()) {
    json.key("message");
    json.begin_object();
    json.field("text", std::string_view(message));
    json.end_object();
  }
  json.end_object();
}

std::string result_text(const Report& report, const EntryReport& entry) {
  const Depth& d = report.depth_of(entry.node);
  const std::string& name = report.function(entry.node).name;
  if (entry.status == EntryStatus::kOverBudget)
    return "worst-case stack of '" + name + "' is " + (d.complete ? "" : "at least ") +
           std::to_string(d.bytes) + " bytes, over its budget of " + std::to_string(*entry.budget) +
           " bytes";
  std::string text = "worst-case stack of '" + name + "' is unknown: at least " +
                     std::to_string(d.bytes) + " bytes";
  if (!d.reasons.empty())
    text += "; " + describe_reason(report, report.depth().reasons[d.reasons.front()]);
  return text;
}

void write_code_flow(JsonWriter& json, const Report& report, const EntryReport& entry) {
  json.key("codeFlows");
  json.begin_array();
  json.begin_object();
  json.key("threadFlows");
  json.begin_array();
  json.begin_object();
  json.key("locations");
  json.begin_array();
  for (const PathStep& step : report.worst_path_steps(entry.node)) {
    const std::string message = "'" + step.symbol + "': frame " + std::to_string(step.frame) +
                                " bytes, stack " + std::to_string(step.stack()) + " bytes" +
                                (step.assumed ? " (assumed)" : "") +
                                (step.via.empty() ? "" : ", called via '" + step.via + "'");
    json.begin_object();
    json.key("location");
    if (step.node != kNoFunction) {
      const Function& f = report.function(step.node);
      write_location(json, f.file, f.line, f.column, message);
    } else {
      write_location(json, step.call->file, step.call->line, step.call->column, message);
    }
    json.end_object();
  }
  json.end_array();
  json.end_object();
  json.end_array();
  json.end_object();
  json.end_array();
}

void write_rule(JsonWriter& json, const char* id, const char* text) {
  json.begin_object();
  json.field("id", id);
  json.key("shortDescription");
  json.begin_object();
  json.field("text", text);
  json.end_object();
  json.end_object();
}

}  // namespace

void print_report_sarif(std::ostream& out, const Report& report,
                        const ReportPrintOptions& options) {
  const std::string& producer = options.producer;
  const std::size_t space = producer.find(' ');
  JsonWriter json(out);
  json.begin_object();
  json.field("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
  json.field("version", "2.1.0");
  json.key("runs");
  json.begin_array();
  json.begin_object();
  json.key("tool");
  json.begin_object();
  json.key("driver");
  json.begin_object();
  json.field("name", "kstack");
  json.field("version",
             std::string_view(space == std::string::npos ? producer : producer.substr(space + 1)));
  json.key("rules");
  json.begin_array();
  write_rule(json, "over-budget", "An entry point's worst-case stack exceeds its budget");
  write_rule(json, "incomplete-bound",
             "An entry point's worst-case stack is only a lower bound: something below it is "
             "unknown");
  json.end_array();
  json.end_object();
  json.end_object();

  json.key("results");
  json.begin_array();
  for (const EntryReport& entry : report.entries()) {
    if (entry.status == EntryStatus::kOk) continue;
    const Function& f = report.function(entry.node);
    const bool over = entry.status == EntryStatus::kOverBudget;
    json.begin_object();
    json.field("ruleId", over ? "over-budget" : "incomplete-bound");
    json.field("level", over ? "error" : "warning");
    json.key("message");
    json.begin_object();
    json.field("text", result_text(report, entry));
    json.end_object();
    json.key("locations");
    json.begin_array();
    write_location(json, f.file, f.line, f.column, "");
    json.end_array();
    write_code_flow(json, report, entry);
    if (entry.accepted) {
      json.key("suppressions");
      json.begin_array();
      json.begin_object();
      json.field("kind", "external");
      json.field("justification", std::string_view(entry.accepted->reason));
      json.end_object();
      json.end_array();
    }
    json.end_object();
  }
  json.end_array();
  json.end_object();
  json.end_array();
  json.end_object();
}

}  // namespace kstack
