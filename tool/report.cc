// Builds the budget table described in report.h: resolve, graph, depth,
// entries, entry depths, judgement, in that order; each step is linear in
// functions plus calls but for the sorts and the annotation globs.
#include "report.h"

#include <algorithm>
#include <limits>
#include <unordered_map>

namespace kstack {

const char* entry_status_name(EntryStatus status) {
  switch (status) {
    case EntryStatus::kOk:
      return "ok";
    case EntryStatus::kOverBudget:
      return "over-budget";
    case EntryStatus::kIncomplete:
      return "incomplete";
  }
  return "?";
}

std::optional<std::uint64_t> parse_bytes(const std::string& text) {
  std::uint64_t value = 0;
  std::size_t i = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    const std::uint64_t digit = static_cast<std::uint64_t>(text[i] - '0');
    if (value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  if (i == 0) return std::nullopt;
  std::uint64_t scale = 1;
  const std::string suffix = text.substr(i);
  if (suffix == "K" || suffix == "k")
    scale = 1024;
  else if (suffix == "M" || suffix == "m")
    scale = 1024 * 1024;
  else if (!suffix.empty())
    return std::nullopt;
  if (value > std::numeric_limits<std::uint64_t>::max() / scale) return std::nullopt;
  return value * scale;
}

Report::Report(const std::vector<Unit>& units, const ReportOptions& options)
    : unit_count_(units.size()),
      symbols_(units, options.link_groups),
      graph_(symbols_, options.added_calls, options.trampolines, options.indirect),
      depth_(analyse_depth(graph_, options.depth)) {
  for (const AddedCalls* unused : graph_.unmatched())
    unused_.push_back({std::string(unused->indirect ? "indirect" : "calls") + " '" +
                           unused->caller + "' matches no function",
                       {unused->file, unused->line}});
  for (const Trampoline* unused : graph_.unmatched_trampolines())
    unused_.push_back({"jumps '" + unused->symbol + "' matches no called symbol without a record",
                       {unused->file, unused->line}});
  for (std::size_t a = 0; a < options.depth.assumed.size(); ++a)
    if (!depth_.assumed_used[a])
      unused_.push_back({"assume '" + options.depth.assumed[a].glob +
                             "' matches no called symbol without a record",
                         options.depth.assumed[a].source});
  collect_alias_names();
  choose_entries(options);
  check_stubs(options);
  std::vector<std::uint32_t> entry_nodes;
  for (const EntryReport& e : entries_) entry_nodes.push_back(e.node);
  entered_ = analyse_entry_depths(graph_, depth_, entry_nodes);
  judge_entries(options);

  collect_unknown_callees();
  count_indirect_calls(options.indirect);
}

void Report::collect_alias_names() {
  alias_names_.assign(symbols_.size(), {});
  const std::vector<Unit>& units = symbols_.units();
  for (std::uint32_t u = 0; u < units.size(); ++u)
    for (const Alias& alias : units[u].aliases) {
      // An alias whose name another definition took names nothing.
      const std::uint32_t node = symbols_.resolve(u, alias.target);
      if (node != kNoFunction && symbols_.resolve(u, alias.name) == node)
        alias_names_[node].push_back(&alias.name);
    }
}

bool Report::glob_matches(const Glob& glob, std::uint32_t node) const {
  if (glob.matches(function(node).name)) return true;
  for (const std::string* alias : alias_names_[node])
    if (glob.matches(*alias)) return true;
  return false;
}

namespace {

// The globs of PATTERNS' `glob` members, in order.
template <typename Pattern>
std::vector<Glob> globs_of(const std::vector<Pattern>& patterns) {
  std::vector<Glob> globs;
  globs.reserve(patterns.size());
  for (const Pattern& pattern : patterns) globs.emplace_back(pattern.glob);
  return globs;
}

}  // namespace

void Report::choose_entries(const ReportOptions& options) {
  const std::uint32_t n = static_cast<std::uint32_t>(symbols_.size());
  if (options.entries.empty()) {
    // The roots: members of components no other component calls. A
    // superseded definition is not in the program: neither a root nor a
    // caller.
    std::vector<bool> called(depth_.component_start.size() - 1, false);
    for (std::uint32_t node = 0; node < n; ++node) {
      if (symbols_.superseded(node)) continue;
      for (const Edge* e = graph_.begin(node); e != graph_.end(node); ++e)
        if (e->target != kNoFunction && depth_.component_of[e->target] != depth_.component_of[node])
          called[depth_.component_of[e->target]] = true;
    }
    for (std::uint32_t node = 0; node < n; ++node)
      if (!called[depth_.component_of[node]] && !symbols_.superseded(node))
        entries_.emplace_back().node = node;
    return;
  }
  // A superseded definition matches no glob: it is not in the program.
  const std::vector<Glob> entry_globs = globs_of(options.entries);
  std::vector<bool> used(options.entries.size(), false);
  for (std::uint32_t node = 0; node < n; ++node) {
    if (symbols_.superseded(node)) continue;
    bool entry = false;
    for (std::size_t g = 0; g < options.entries.size(); ++g) {
      if (!glob_matches(entry_globs[g], node)) continue;
      used[g] = true;
      entry = true;
    }
    if (entry) entries_.emplace_back().node = node;
  }
  for (std::size_t g = 0; g < options.entries.size(); ++g)
    if (!used[g])
      unused_.push_back({"entry '" + options.entries[g].glob + "' matches no function",
                         options.entries[g].source});
}

// A stub that is superseded (a record has its name) or that nothing calls
// and no entry glob names is most likely stale, or a typo.
void Report::check_stubs(const ReportOptions& options) {
  if (options.stubs.empty()) return;
  std::vector<bool> entry(symbols_.size(), false);
  for (const EntryReport& e : entries_) entry[e.node] = true;
  for (const Stub& stub : options.stubs) {
    if (stub.function.unit == kNoFunction) continue;
    const std::uint32_t node = symbols_.node(stub.function);
    if (symbols_.superseded(node))
      unused_.push_back({"stub '" + stub.symbol + "' has a record, which wins", stub.source});
    else if (!graph_.called(node) && !entry[node])
      unused_.push_back(
          {"stub '" + stub.symbol + "' is called by no function and is no entry point",
           stub.source});
  }
}

void Report::judge_entries(const ReportOptions& options) {
  std::vector<bool> budget_used(options.budgets.size(), false);
  std::vector<bool> budget_matched(options.budgets.size(), false);
  std::vector<bool> accept_used(options.accepts.size(), false);
  const std::vector<Glob> budget_globs = globs_of(options.budgets);
  const std::vector<Glob> accept_globs = globs_of(options.accepts);
  for (EntryReport& entry : entries_) {
    const Depth& d = depth_of(entry.node);
    entry.budget = options.budget;
    for (std::size_t b = 0; b < options.budgets.size(); ++b) {
      if (!glob_matches(budget_globs[b], entry.node)) continue;
      budget_matched[b] = true;
      if (entry.budget_source) continue;  // the first matching line wins
      budget_used[b] = true;
      entry.budget = options.budgets[b].bytes;
      entry.budget_source = &options.budgets[b];
    }
    if (entry.budget && d.bytes > *entry.budget)
      entry.status = EntryStatus::kOverBudget;
    else if (!d.complete)
      entry.status = EntryStatus::kIncomplete;
    if (entry.status == EntryStatus::kOk) continue;
    for (std::size_t a = 0; a < options.accepts.size(); ++a) {
      if (!glob_matches(accept_globs[a], entry.node)) continue;
      accept_used[a] = true;
      if (d.bytes <= options.accepts[a].max_bytes)
        entry.accepted = &options.accepts[a];
      else
        entry.outgrown = &options.accepts[a];
      break;
    }
  }
  for (std::size_t b = 0; b < options.budgets.size(); ++b)
    if (!budget_used[b])
      unused_.push_back(
          {"budget '" + options.budgets[b].glob +
               (budget_matched[b] ? "' is overridden, for every entry point it matches, by an "
                                    "earlier budget"
                                  : "' matches no entry point"),
           options.budgets[b].source});
  for (std::size_t a = 0; a < options.accepts.size(); ++a)
    if (!accept_used[a])
      unused_.push_back({"accept '" + options.accepts[a].glob + "' matches no failing entry point",
                         options.accepts[a].source});
  std::sort(entries_.begin(), entries_.end(), [&](const EntryReport& a, const EntryReport& b) {
    const std::uint64_t da = depth_of(a.node).bytes, db = depth_of(b.node).bytes;
    if (da != db) return da > db;
    const std::string &na = function(a.node).name, &nb = function(b.node).name;
    if (na != nb) return na < nb;
    return a.node < b.node;
  });
}

void Report::collect_unknown_callees() {
  std::unordered_map<std::string_view, std::size_t> index;
  for (const Reason& reason : depth_.reasons) {
    if (reason.kind != Reason::kUnknownCallee || symbols_.superseded(reason.node)) continue;
    if (index.emplace(reason.detail, unknown_callees_.size()).second)
      unknown_callees_.push_back({reason.detail, 0, reason.node});
  }
  // A reason stands for one call record, which merges `count` call sites.
  // Every unresolved call to a symbol a reason names is unknown: an assumed
  // depth would have applied to all of them.
  for (std::uint32_t node = 0; node < graph_.size(); ++node) {
    if (symbols_.superseded(node)) continue;
    for (const Edge* e = graph_.begin(node); e != graph_.end(node); ++e) {
      if (e->target != kNoFunction) continue;
      auto it = index.find(e->call->callee);
      if (it != index.end()) unknown_callees_[it->second].call_sites += e->call->count;
    }
  }
  std::sort(unknown_callees_.begin(), unknown_callees_.end(),
            [](const UnknownCallee& a, const UnknownCallee& b) {
              if (a.call_sites != b.call_sites) return a.call_sites > b.call_sites;
              return a.symbol < b.symbol;
            });
}

namespace {

// Nearest rank: the smallest value at least PERCENT of VALUES do not exceed.
TargetPercentiles percentiles(std::vector<std::uint32_t>& values) {
  if (values.empty()) return {};
  std::sort(values.begin(), values.end());
  auto rank = [&](std::size_t percent) { return values[(values.size() * percent + 99) / 100 - 1]; };
  return {rank(50), rank(90)};
}

}  // namespace

void Report::count_indirect_calls(IndirectMode mode) {
  indirect_.mode = mode;
  std::array<std::vector<std::uint32_t>, kResolutionCount> targets;
  std::vector<std::uint32_t> resolved;
  for (const IndirectSite& site : graph_.indirect_sites()) {
    if (symbols_.superseded(site.caller)) continue;
    const std::size_t kind = static_cast<std::size_t>(site.resolution);
    ++indirect_.sites;
    ++indirect_.by_resolution[kind];
    indirect_.all.push_back(&site);
    targets[kind].push_back(site.targets);
    if (site.resolution == Resolution::kUnresolved)
      indirect_.unresolved.push_back(&site);
    else
      resolved.push_back(site.targets);
  }
  for (std::size_t kind = 0; kind < kResolutionCount; ++kind)
    indirect_.targets_by_resolution[kind] = percentiles(targets[kind]);
  indirect_.targets = percentiles(resolved);
}

std::vector<std::string_view> Report::indirect_targets(const IndirectSite& site) const {
  std::vector<std::string_view> names;
  for (const Edge* e = graph_.begin(site.caller); e != graph_.end(site.caller); ++e) {
    if (graph_.indirect_site(e->call) != &site) continue;
    if (e->target != kNoFunction)
      names.emplace_back(symbols_.function(e->target).name);
    else if (!e->call->callee.empty())
      names.emplace_back(e->call->callee);
  }
  return names;
}

std::vector<std::uint32_t> Report::by_frame(std::size_t limit) const {
  std::vector<std::uint32_t> nodes;
  nodes.reserve(symbols_.size());
  for (std::uint32_t n = 0; n < symbols_.size(); ++n)
    if (!symbols_.superseded(n)) nodes.push_back(n);
  auto larger = [&](std::uint32_t a, std::uint32_t b) {
    const Function& fa = function(a);
    const Function& fb = function(b);
    if (fa.frame_size != fb.frame_size) return fa.frame_size > fb.frame_size;
    if (fa.name != fb.name) return fa.name < fb.name;
    return a < b;
  };
  // Printers show the largest few of a million functions: sort only those.
  if (limit == 0 || limit >= nodes.size()) {
    std::sort(nodes.begin(), nodes.end(), larger);
  } else {
    std::partial_sort(nodes.begin(), nodes.begin() + static_cast<std::ptrdiff_t>(limit),
                      nodes.end(), larger);
    nodes.resize(limit);
  }
  return nodes;
}

std::size_t Report::failing_entries() const {
  return static_cast<std::size_t>(std::count_if(entries_.begin(), entries_.end(),
                                                [](const EntryReport& e) { return e.fails(); }));
}

Report::EntryCounts Report::entry_counts() const {
  EntryCounts counts;
  for (const EntryReport& e : entries_) {
    counts.over_budget += e.status == EntryStatus::kOverBudget;
    counts.incomplete += e.status == EntryStatus::kIncomplete;
    counts.accepted += e.accepted != nullptr;
  }
  return counts;
}

std::vector<PathStep> Report::worst_path_steps(std::uint32_t node) const {
  std::vector<PathStep> steps;
  std::uint64_t before = 0;
  const Call* call = nullptr;
  auto add = [&](std::uint32_t n, const Call* reached_by) -> PathStep& {
    PathStep& step = steps.emplace_back();
    step.node = n;
    step.symbol = function(n).name;
    step.frame = function(n).frame_size;
    step.red_zone = function(n).red_zone;
    step.before = before;
    step.call = reached_by;
    if (const Call* jump = graph_.trampoline_call(reached_by)) step.via = jump->callee;
    step.indirect = graph_.indirect_site(reached_by);
    return step;
  };
  while (node != kNoFunction && steps.size() <= symbols_.size() + 1) {
    const Depth& d = depth_of(node);
    const Cycle* cycle = d.cycle == kNoIndex ? nullptr : &depth_.cycles[d.cycle];
    add(node, call);
    if (cycle && cycle->bound) {
      // The other activations the bound allows come before the deepest one,
      // which has a step of its own unless it is this one and a call below
      // it goes on from its stack.
      steps.back().recursion = cycle;
      before =
          add_bytes(before, other_activations_bytes(cycle->bound->activations, cycle->max_frame));
      if (cycle->deepest != node || !d.via) {
        node = cycle->deepest;
        add(node, nullptr);
      }
    }
    const std::uint64_t frame = function(node).frame_size;
    const bool tail = d.via && d.via->tail;
    if (d.via && d.next == kNoFunction && d.assumed) {
      PathStep& step = steps.emplace_back();
      step.assumed = d.assumed;
      step.symbol = d.via->callee;
      step.frame = d.assumed->bytes;
      step.before = add_bytes(before, tail ? 0 : frame);
      step.call = d.via;
      if (const Call* jump = graph_.trampoline_call(d.via)) step.via = jump->callee;
      step.indirect = graph_.indirect_site(d.via);
    }
    before = add_bytes(before, tail ? 0 : frame);
    call = d.via;
    node = d.next;
  }
  return steps;
}

}  // namespace kstack
