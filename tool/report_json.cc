// The JSON budget table: schema "kstack-report" version 1, specified in
// docs/report-json.md. Functions are listed by node number ("id"), which
// paths and "next" refer to; `kstack diff` and the compile-time warnings
// read this document back.
#include "json_writer.h"
#include "report_printers.h"

namespace kstack {
namespace {

constexpr std::uint64_t kReportSchemaVersion = 1;

// A function's id, or null for none.
void id_field(JsonWriter& json, std::string_view key, std::uint32_t node) {
  json.key(key);
  if (node == kNoFunction)
    json.null();
  else
    json.value(node);
}

void write_source(JsonWriter& json, const Source& source) {
  json.key("source");
  json.begin_object();
  json.field("file", std::string_view(source.file));
  json.field("line", source.line);
  json.end_object();
}

void write_reasons(JsonWriter& json, const Report& report, const Depth& d) {
  json.key("reasons");
  json.begin_array();
  for (std::uint32_t r : d.reasons) {
    const Reason& reason = report.depth().reasons[r];
    json.begin_object();
    json.field("kind", reason_kind_name(reason.kind));
    json.field("function", std::string_view(report.function(reason.node).name));
    json.field("detail", std::string_view(reason.detail));
    json.field("text", describe_reason(report, reason));
    json.end_object();
  }
  json.end_array();
  json.field("more_reasons", d.more_reasons);
}

void write_call(JsonWriter& json, const PathStep& step) {
  json.key("call");
  const Call* call = step.call;
  if (!call) return json.null();
  json.begin_object();
  json.field("file", std::string_view(call->file));
  json.field("line", call->line);
  json.field("column", call->column);
  json.field("tail", call->tail);
  json.field("kind", call_kind_name(call->kind));
  json.key("via");
  if (step.via.empty())
    json.null();
  else
    json.value(std::string_view(step.via));
  json.end_object();
}

// How the indirect call that reached a step was resolved.
void write_indirect_step(JsonWriter& json, const IndirectSite& site) {
  json.field("resolution", resolution_name(site.resolution));
  json.key("slot");
  if (site.slot)
    json.value(std::string_view(*site.slot));
  else
    json.null();
  json.key("signature");
  json.string_or_null(site.info ? std::string_view(site.info->signature) : std::string_view());
  json.field("targets", site.targets);
}

void write_percentiles(JsonWriter& json, std::string_view name, const TargetPercentiles& p) {
  json.key(name);
  json.begin_object();
  json.key("median");
  json.value_or_null(p.median);
  json.key("p90");
  json.value_or_null(p.p90);
  json.end_object();
}

// The caller of an indirect call site and the call's location.
void write_site_caller(JsonWriter& json, const Report& report, const IndirectSite& site) {
  json.field("function", std::string_view(report.function(site.caller).name));
  json.field("id", site.caller);
  json.field("file", std::string_view(site.call->file));
  json.field("line", site.call->line);
  json.field("column", site.call->column);
}

void write_indirect_calls(JsonWriter& json, const Report& report) {
  const IndirectStatistics& stats = report.indirect_calls();
  constexpr Resolution kinds[] = {Resolution::kField,      Resolution::kGlobal,
                                  Resolution::kParameter,  Resolution::kType,
                                  Resolution::kAnnotation, Resolution::kUnresolved};
  json.key("indirect_calls");
  json.begin_object();
  json.field("mode", indirect_mode_name(stats.mode));
  json.field("sites", static_cast<std::uint64_t>(stats.sites));
  json.key("by_resolution");
  json.begin_object();
  for (Resolution r : kinds)
    json.field(resolution_name(r),
               static_cast<std::uint64_t>(stats.by_resolution[static_cast<std::size_t>(r)]));
  json.end_object();
  write_percentiles(json, "targets", stats.targets);
  json.key("targets_by_resolution");
  json.begin_object();
  for (Resolution r : kinds)
    write_percentiles(json, resolution_name(r),
                      stats.targets_by_resolution[static_cast<std::size_t>(r)]);
  json.end_object();
  // Every site, with the symbols it may call.
  json.key("by_site");
  json.begin_array();
  for (const IndirectSite* site : stats.all) {
    json.begin_object();
    write_site_caller(json, report, *site);
    json.field("resolution", resolution_name(site->resolution));
    json.key("slot");
    json.string_or_null(site->slot ? std::string_view(*site->slot) : std::string_view());
    json.key("signature");
    json.string_or_null(site->info ? std::string_view(site->info->signature) : std::string_view());
    json.key("targets");
    json.begin_array();
    for (std::string_view name : report.indirect_targets(*site)) json.value(name);
    json.end_array();
    json.end_object();
  }
  json.end_array();
  json.key("unresolved_sites");
  json.begin_array();
  for (const IndirectSite* site : stats.unresolved) {
    json.begin_object();
    write_site_caller(json, report, *site);
    json.key("type");
    json.string_or_null(site->info ? std::string_view(site->info->type) : std::string_view());
    json.key("signature");
    json.string_or_null(site->info ? std::string_view(site->info->signature) : std::string_view());
    json.key("fallback");
    if (site->fallback)
      json.value(std::string_view(*site->fallback));
    else
      json.null();
    json.end_object();
  }
  json.end_array();
  json.end_object();
}

void write_path(JsonWriter& json, const Report& report, std::uint32_t node) {
  json.key("path");
  json.begin_array();
  for (const PathStep& step : report.worst_path_steps(node)) {
    json.begin_object();
    json.field("function", std::string_view(step.symbol));
    id_field(json, "id", step.node);
    json.field("frame", step.frame);
    json.field("red_zone", step.red_zone);
    json.field("stack", step.stack());
    json.field("assumed", step.assumed != nullptr);
    write_call(json, step);
    if (step.indirect) write_indirect_step(json, *step.indirect);
    if (step.recursion) {
      json.key("recursion");
      json.begin_object();
      json.field("activations", step.recursion->bound->activations);
      json.field("max_frame", step.recursion->max_frame);
      write_source(json, step.recursion->bound->source);
      json.end_object();
    }
    json.end_object();
  }
  json.end_array();
}

void write_entry(JsonWriter& json, const Report& report, const EntryReport& entry) {
  const Function& f = report.function(entry.node);
  const Depth& d = report.depth_of(entry.node);
  json.begin_object();
  json.field("function", std::string_view(f.name));
  json.field("id", entry.node);
  json.field("unit", std::string_view(report.unit_of(entry.node).input));
  json.field("file", std::string_view(f.file));
  json.field("line", f.line);
  json.field("column", f.column);
  json.field("depth", d.bytes);
  json.field("complete", d.complete);
  json.key("budget");
  json.value_or_null(entry.budget);
  json.key("headroom");
  if (entry.budget)
    json.value(static_cast<std::int64_t>(*entry.budget) - static_cast<std::int64_t>(d.bytes));
  else
    json.null();
  json.field("status", entry_status_name(entry.status));
  json.field("fails", entry.fails());
  json.key("accepted");
  if (entry.accepted) {
    json.begin_object();
    json.field("max_bytes", entry.accepted->max_bytes);
    json.field("reason", std::string_view(entry.accepted->reason));
    write_source(json, entry.accepted->source);
    json.end_object();
  } else {
    json.null();
  }
  write_reasons(json, report, d);
  write_path(json, report, entry.node);
  json.end_object();
}

void write_function(JsonWriter& json, const Report& report, std::uint32_t node) {
  const Function& f = report.function(node);
  const Depth& d = report.depth_of(node);
  const EntryDepth& in = report.entered()[node];
  json.begin_object();
  json.field("id", node);
  json.field("function", std::string_view(f.name));
  json.field("unit", std::string_view(report.unit_of(node).input));
  json.field("file", std::string_view(f.file));
  json.field("line", f.line);
  json.field("binding", binding_name(f.binding));
  json.field("frame", f.frame_size);
  json.field("frame_kind", frame_kind_name(f.frame_kind));
  json.field("red_zone", f.red_zone);
  json.field("depth", d.bytes);
  json.field("complete", d.complete);
  id_field(json, "next", d.next);
  json.key("entered");
  if (in.reached) {
    json.begin_object();
    json.field("bytes", in.bytes);
    json.field("complete", in.complete);
    json.field("entry", in.entry);
    id_field(json, "caller", in.caller);
    json.field("through_cycle", in.through_cycle);
    json.end_object();
  } else {
    json.null();
  }
  json.end_object();
}

}  // namespace

void print_report_json(std::ostream& out, const Report& report, const ReportPrintOptions& options) {
  JsonWriter json(out);
  json.begin_object();
  json.field("schema", "kstack-report");
  json.field("version", kReportSchemaVersion);
  json.field("producer", std::string_view(options.producer));

  json.key("summary");
  json.begin_object();
  json.field("units", static_cast<std::uint64_t>(report.unit_count()));
  json.field("functions", static_cast<std::uint64_t>(report.symbols().size()));
  json.field("calls", static_cast<std::uint64_t>(report.call_count()));
  json.field("entries", static_cast<std::uint64_t>(report.entries().size()));
  json.field("failing", static_cast<std::uint64_t>(report.failing_entries()));
  json.key("largest_frame");
  const std::vector<std::uint32_t> largest = report.by_frame(1);
  if (largest.empty()) {
    json.null();
  } else {
    const Function& f = report.function(largest.front());
    json.begin_object();
    json.field("function", std::string_view(f.name));
    json.field("frame", f.frame_size);
    json.end_object();
  }
  json.key("deepest_entry");
  if (report.entries().empty()) {
    json.null();
  } else {
    const EntryReport& e = report.entries().front();
    json.begin_object();
    json.field("function", std::string_view(report.function(e.node).name));
    json.field("depth", report.depth_of(e.node).bytes);
    json.field("complete", report.depth_of(e.node).complete);
    json.end_object();
  }
  json.end_object();

  json.key("entries");
  json.begin_array();
  for (const EntryReport& entry : report.entries()) write_entry(json, report, entry);
  json.end_array();

  json.key("functions");
  json.begin_array();
  for (std::uint32_t node = 0; node < report.symbols().size(); ++node)
    write_function(json, report, node);
  json.end_array();

  json.key("cycles");
  json.begin_array();
  for (const Cycle& cycle : report.depth().cycles) {
    json.begin_object();
    json.field("description", std::string_view(cycle.description));
    json.key("members");
    json.begin_array();
    for (std::uint32_t m : cycle.members) json.value(m);
    json.end_array();
    json.key("bound");
    if (cycle.bound)
      json.value(cycle.bound->activations);
    else
      json.null();
    json.end_object();
  }
  json.end_array();

  json.key("unknown_callees");
  json.begin_array();
  for (const UnknownCallee& u : report.unknown_callees()) {
    json.begin_object();
    json.field("symbol", std::string_view(u.symbol));
    json.field("call_sites", u.call_sites);
    json.field("first_caller", u.first_caller);
    json.end_object();
  }
  json.end_array();

  json.key("duplicates");
  json.begin_array();
  for (const DuplicateDefinition& d : report.symbols().duplicates()) {
    json.begin_object();
    json.field("symbol", std::string_view(d.symbol));
    json.field("kept", d.kept);
    json.field("ignored", d.ignored);
    json.end_object();
  }
  json.end_array();

  json.key("unused_annotations");
  json.begin_array();
  for (const UnusedAnnotation& u : report.unused_annotations()) {
    json.begin_object();
    json.field("what", std::string_view(u.what));
    write_source(json, u.source);
    json.end_object();
  }
  json.end_array();

  write_indirect_calls(json, report);
  json.end_object();
}

}  // namespace kstack
