// The compile-time stack warnings; the design is in frame_warnings.h.
//
// Each warning is followed by `note:` lines, in this order:
//   - the deepest call chain from the function within this file, one note
//     per call at the call's location, and what the chain calls that this
//     file does not define (so its depth is a lower bound);
//   - the callers in this file, at their calls, and the deepest way in from
//     a function nothing in this file calls;
//   - with a table: the worst path through the function from an entry
//     point, its total against the entry's budget, and each step.
// Notes are printed only when the warning itself was (it may be disabled
// or ignored by a pragma).
#include "frame_warnings.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "frame_parts.h"
#include "unit_depth.h"
#include "warning_table.h"

namespace kstack {

namespace {

constexpr std::size_t kMaxCallersShown = 3;
constexpr std::size_t kMaxUnfollowedNamed = 4;

const char* chain_verb(const Call& call) { return call.tail ? "tail-calls" : "calls"; }

// NAME in the quotes GCC's %qs uses, for names in a composed list.
std::string quoted(const std::string& name) { return open_quote + name + close_quote; }

// "'a', 'b' and 2 more"
std::string name_list(const std::vector<std::string>& names) {
  std::string text;
  std::size_t shown = std::min(names.size(), kMaxUnfollowedNamed);
  for (std::size_t i = 0; i < shown; ++i) {
    if (i > 0) text += i + 1 == names.size() ? " and " : ", ";
    text += quoted(names[i]);
  }
  if (names.size() > shown) text += " and " + std::to_string(names.size() - shown) + " more";
  return text;
}

class Emitter {
 public:
  Emitter(const Unit& unit, const std::vector<FrameFacts>& facts, const WarningOptions& options,
          TableFile& table_file, std::optional<std::uint64_t> frame_threshold)
      : unit_(unit),
        facts_(facts),
        options_(options),
        table_file_(table_file),
        frame_threshold_(frame_threshold),
        graph_(unit),
        facts_of_(unit.functions.size(), nullptr) {
    for (const FrameFacts& f : facts) facts_of_[f.record] = &f;
    for (std::uint32_t f = 0; f < unit.functions.size(); ++f)
      by_name_.emplace(unit.functions[f].name, f);
  }

  void run();

 private:
  // A function GCC would warn about, in the order GCC would have.
  bool over_frame_threshold(const FrameFacts& facts) const {
    return frame_threshold_ && facts.locals > *frame_threshold_;
  }
  void warn_frame(const FrameFacts& facts);
  void warn_paths();
  void notes(const FrameFacts& facts);
  void part_notes(const FrameFacts& facts);
  void chain_notes(const FrameFacts& facts);
  void caller_notes(const FrameFacts& facts);
  void table_notes(const FrameFacts& facts);
  const WarningTable* table();
  // F's function in the table, if the table can be read and has it.
  const TableFunction* in_table(std::uint32_t f);
  // The worst stack through F: whole-program when the table knows F (then
  // WHOLE_PROGRAM is set), else within this file; COMPLETE is false for a
  // lower bound.
  std::uint64_t through(std::uint32_t f, bool& whole_program, bool& complete);
  // Where F makes its call CALL; AT if that is not known.
  location_t call_location(std::uint32_t f, std::uint32_t call, location_t at) const {
    const FrameFacts* facts = facts_of_[f];
    return facts && call < facts->calls.size() ? facts->calls[call] : at;
  }

  const Unit& unit_;
  const std::vector<FrameFacts>& facts_;
  const WarningOptions& options_;
  TableFile& table_file_;
  std::optional<std::uint64_t> frame_threshold_;
  UnitCallGraph graph_;
  bool table_asked_ = false;
  const WarningTable* table_ = nullptr;
  std::vector<const TableFunction*> in_table_;  // per function, once the table is read
  std::vector<const FrameFacts*> facts_of_;     // per function of the unit
  std::unordered_map<std::string_view, std::uint32_t> by_name_;
  std::vector<bool> frame_warned_;
};

// Sets current_function_decl for the diagnostics, so GCC prints its
// "In function 'f':" header as it does for its own warning.
class InFunction {
 public:
  explicit InFunction(tree decl) : saved_(current_function_decl) { current_function_decl = decl; }
  ~InFunction() { current_function_decl = saved_; }

 private:
  tree saved_;
};

void Emitter::run() {
  frame_warned_.assign(unit_.functions.size(), false);
  for (const FrameFacts& facts : facts_)
    if (over_frame_threshold(facts)) warn_frame(facts);
  if (options_.path_warn) warn_paths();
}

void Emitter::warn_frame(const FrameFacts& facts) {
  const Function& f = unit_.functions[facts.record];
  InFunction in(facts.decl);
  frame_warned_[facts.record] = true;
  if (!warning_at(facts.warning_location, OPT_Wframe_larger_than_,
                  "the frame size of %wu bytes is larger than %wu bytes "
                  "(%<-fstack-usage%>: %wu bytes, %s)",
                  (unsigned HOST_WIDE_INT)facts.locals, (unsigned HOST_WIDE_INT) * frame_threshold_,
                  (unsigned HOST_WIDE_INT)f.frame_size, frame_kind_name(f.frame_kind)))
    return;
  part_notes(facts);
  notes(facts);
}

// One warning per distinct worst path: the functions are taken deepest
// first, and the functions of this file on a path already reported are not
// reported again.
void Emitter::warn_paths() {
  std::vector<std::pair<std::uint64_t, const FrameFacts*>> over;
  std::vector<bool> whole_program(unit_.functions.size(), false);
  std::vector<bool> complete(unit_.functions.size(), true);
  for (const FrameFacts& facts : facts_) {
    bool whole = false, bound = true;
    std::uint64_t bytes = through(static_cast<std::uint32_t>(facts.record), whole, bound);
    whole_program[facts.record] = whole;
    complete[facts.record] = bound;
    if (bytes > *options_.path_warn) over.emplace_back(bytes, &facts);
  }
  // Of equally deep paths, the function entered first on it reports it.
  std::vector<std::uint64_t> entered(unit_.functions.size(), 0);
  for (const auto& [bytes, facts] : over) {
    std::uint32_t f = static_cast<std::uint32_t>(facts->record);
    entered[f] = whole_program[f] ? in_table(f)->entered : graph_.way_in(f).bytes;
  }
  std::stable_sort(over.begin(), over.end(), [&](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first > b.first;
    return entered[a.second->record] < entered[b.second->record];
  });
  std::vector<bool> covered(frame_warned_);
  std::vector<std::pair<std::uint64_t, const FrameFacts*>> reported;
  for (const auto& [bytes, facts] : over) {
    std::uint32_t f = static_cast<std::uint32_t>(facts->record);
    if (covered[f]) continue;
    reported.emplace_back(bytes, facts);
    if (whole_program[f]) {  // the table's path, as far as it runs through this file
      const std::uint32_t id = table_->id_of(*in_table(f));
      for (const std::vector<std::uint32_t>& part : {table_->way_in(id), table_->way_down(id)})
        for (std::uint32_t step : part) {
          auto g = by_name_.find(table_->function(step).name);
          if (g != by_name_.end()) covered[g->second] = true;
        }
    } else {
      for (const std::vector<std::uint32_t>& part :
           {graph_.deepest_way_in(f), graph_.deepest_chain(f)})
        for (std::uint32_t g : part) covered[g] = true;
    }
  }
  // In the order the functions were compiled, as the frame warnings are.
  std::sort(reported.begin(), reported.end(),
            [](const auto& a, const auto& b) { return a.second->record < b.second->record; });
  for (const auto& [bytes, facts] : reported) {
    const Function& f = unit_.functions[facts->record];
    InFunction in(facts->decl);
    const char* at_least = complete[facts->record] ? "" : "at least ";
    unsigned HOST_WIDE_INT total = bytes, limit = *options_.path_warn;
    bool ok = whole_program[facts->record]
                  ? warning_at(DECL_SOURCE_LOCATION(facts->decl), OPT_Wframe_larger_than_,
                               "the worst path through %qs uses %s%wu bytes of stack, more than "
                               "%wu bytes",
                               f.name.c_str(), at_least, total, limit)
                  : warning_at(DECL_SOURCE_LOCATION(facts->decl), OPT_Wframe_larger_than_,
                               "the deepest path through %qs in this file uses %s%wu bytes of "
                               "stack, more than %wu bytes",
                               f.name.c_str(), at_least, total, limit);
    if (ok) notes(*facts);
  }
}

std::uint64_t Emitter::through(std::uint32_t f, bool& whole_program, bool& complete) {
  whole_program = false;
  if (table_file_.given()) {
    const TableFunction* tf = in_table(f);
    if (tf && tf->reached) {
      whole_program = true;
      complete = tf->complete && tf->entered_complete;
      return table_->through(*tf);
    }
  }
  complete = graph_.depth(f).complete;
  return graph_.through(f);
}

// What fills the frame first: its three largest data parts of 16 bytes or
// more (frame_parts.h), worked out whenever a frame warning may fire.
void Emitter::part_notes(const FrameFacts& facts) {
  const Function& f = unit_.functions[facts.record];
  for (const std::string& part : largest_frame_parts(f, 3, 16, {open_quote, close_quote}))
    inform(DECL_SOURCE_LOCATION(facts.decl), "%s", part.c_str());
}

void Emitter::notes(const FrameFacts& facts) {
  chain_notes(facts);
  caller_notes(facts);
  if (table_file_.given()) table_notes(facts);
}

void Emitter::chain_notes(const FrameFacts& facts) {
  std::uint32_t f = static_cast<std::uint32_t>(facts.record);
  const Function& function = unit_.functions[f];
  location_t at = DECL_SOURCE_LOCATION(facts.decl);
  std::vector<std::uint32_t> chain = graph_.deepest_chain(f);
  const UnitDepth& depth = graph_.depth(f);
  if (chain.size() == 1) {
    inform(at, "%qs uses %wu bytes of stack and calls nothing in this file that goes deeper",
           function.name.c_str(), (unsigned HOST_WIDE_INT)graph_.own_stack(f));
  } else {
    inform(at,
           "%qs uses %wu bytes of stack; the deepest call chain from it in this file uses %s%wu",
           function.name.c_str(), (unsigned HOST_WIDE_INT)graph_.own_stack(f),
           depth.complete ? "" : "at least ", (unsigned HOST_WIDE_INT)depth.bytes);
    std::uint64_t before = 0;
    for (std::size_t i = 0; i + 1 < chain.size(); ++i) {
      const Function& caller = unit_.functions[chain[i]];
      const Function& callee = unit_.functions[chain[i + 1]];
      const UnitDepth& step = graph_.depth(chain[i]);
      const Call& call = caller.calls[step.via];
      if (!call.tail) before += caller.frame_size;
      inform(call_location(chain[i], step.via, at), "%qs %s %qs (%wu bytes), %wu bytes in use",
             caller.name.c_str(), chain_verb(call), callee.name.c_str(),
             (unsigned HOST_WIDE_INT)graph_.own_stack(chain[i + 1]),
             (unsigned HOST_WIDE_INT)(before + graph_.own_stack(chain[i + 1])));
    }
  }
  // What the chain leaves out.
  std::vector<std::string> outside, recursive;
  std::size_t pointers = 0, unnamed = 0;
  for (const UnfollowedCall& call : graph_.unfollowed(chain)) {
    const Call& c = unit_.functions[call.caller].calls[call.call];
    if (call.why == UnfollowedCall::kThroughPointer)
      ++pointers;
    else if (c.callee.empty())
      ++unnamed;  // an asm branch to a target kstack could not name
    else if (std::find(outside.begin(), outside.end(), c.callee) == outside.end() &&
             std::find(recursive.begin(), recursive.end(), c.callee) == recursive.end())
      (call.why == UnfollowedCall::kRecursion ? recursive : outside).push_back(c.callee);
  }
  std::vector<std::string> parts;
  if (!outside.empty()) parts.push_back(name_list(outside) + ", which this file does not define");
  if (pointers)
    parts.push_back(std::to_string(pointers) + (pointers == 1 ? " call" : " calls") +
                    " through a pointer");
  if (unnamed)
    parts.push_back(std::to_string(unnamed) + (unnamed == 1 ? " asm branch" : " asm branches") +
                    " to an unknown target");
  if (!recursive.empty()) parts.push_back("recursive calls to " + name_list(recursive));
  if (parts.empty()) return;
  std::string what = parts[0];
  for (std::size_t i = 1; i < parts.size(); ++i) what += "; " + parts[i];
  inform(at, "not counted, so the depth in this file is a lower bound: %s", what.c_str());
}

void Emitter::caller_notes(const FrameFacts& facts) {
  std::uint32_t f = static_cast<std::uint32_t>(facts.record);
  const Function& function = unit_.functions[f];
  location_t at = DECL_SOURCE_LOCATION(facts.decl);
  const std::vector<UnitEdge>& callers = graph_.callers(f);
  if (callers.empty()) {
    inform(at, "no function of this file calls %qs", function.name.c_str());
    return;
  }
  for (std::size_t i = 0; i < callers.size() && i < kMaxCallersShown; ++i) {
    inform(call_location(callers[i].caller, callers[i].call, at), "%qs is called by %qs",
           function.name.c_str(), unit_.functions[callers[i].caller].name.c_str());
  }
  if (callers.size() > kMaxCallersShown)
    inform(at, "%qs has %wu more calls in this file", function.name.c_str(),
           (unsigned HOST_WIDE_INT)(callers.size() - kMaxCallersShown));
  std::vector<std::uint32_t> way = graph_.deepest_way_in(f);
  if (way.size() == 1) return;  // only recursion reaches it
  std::string steps;
  for (std::uint32_t g : way)
    steps += (steps.empty() ? "" : " -> ") + quoted(unit_.functions[g].name);
  inform(at,
         "the deepest way in from this file is %s, with %wu bytes in use when %qs is entered "
         "and %wu through it",
         steps.c_str(), (unsigned HOST_WIDE_INT)graph_.way_in(f).bytes, function.name.c_str(),
         (unsigned HOST_WIDE_INT)graph_.through(f));
}

const WarningTable* Emitter::table() {
  if (!table_asked_) {
    table_asked_ = true;
    table_ = table_file_.get();
    if (!table_)
      warning_at(UNKNOWN_LOCATION, OPT_Wframe_larger_than_,
                 "%<-fplugin-arg-kstack-table=%s%>: cannot use the table: %s; the warnings say "
                 "what this file alone shows",
                 table_file_.path().c_str(), table_file_.error().c_str());
  }
  return table_;
}

const TableFunction* Emitter::in_table(std::uint32_t f) {
  const WarningTable* t = table();
  if (!t) return nullptr;
  if (in_table_.empty()) {
    in_table_.reserve(unit_.functions.size());
    for (const Function& function : unit_.functions)
      in_table_.push_back(t->find(function.name, function.file));
  }
  return in_table_[f];
}

void Emitter::table_notes(const FrameFacts& facts) {
  std::uint32_t f = static_cast<std::uint32_t>(facts.record);
  const Function& function = unit_.functions[f];
  location_t at = DECL_SOURCE_LOCATION(facts.decl);
  const WarningTable* t = table();
  if (!t) return;
  const char* file = table_file_.path().c_str();
  const TableFunction* tf = in_table(f);
  if (!tf) {
    inform(at, "%qs is not in the table %qs: it is newer than the table", function.name.c_str(),
           file);
    return;
  }
  if (tf->frame != function.frame_size)
    inform(at, "the table %qs is older: it has a frame of %wu bytes for %qs", file,
           (unsigned HOST_WIDE_INT)tf->frame, function.name.c_str());
  if (!tf->reached) {
    inform(at, "in the table %qs, no entry point reaches %qs", file, function.name.c_str());
    return;
  }
  std::uint32_t id = t->id_of(*tf);
  const TableFunction& entry = t->function(tf->entry);
  bool complete = tf->complete && tf->entered_complete;
  std::uint64_t total = t->through(*tf);
  std::optional<std::uint64_t> budget = t->budget(tf->entry);
  const char* at_least = complete ? "" : "at least ";
  unsigned HOST_WIDE_INT bytes = total;
  if (!budget) {
    inform(at,
           "in the whole program (%qs), the worst path through %qs starts at %qs and uses %s%wu "
           "bytes; %qs has no budget",
           file, function.name.c_str(), entry.name.c_str(), at_least, bytes, entry.name.c_str());
  } else if (total > *budget) {
    unsigned HOST_WIDE_INT limit = *budget, over = total - *budget;
    inform(at,
           "in the whole program (%qs), the worst path through %qs starts at %qs and uses %s%wu "
           "bytes, %s%wu more than its budget of %wu",
           file, function.name.c_str(), entry.name.c_str(), at_least, bytes, at_least, over, limit);
  } else {
    unsigned HOST_WIDE_INT limit = *budget, left = *budget - total;
    inform(at,
           "in the whole program (%qs), the worst path through %qs starts at %qs and uses %s%wu "
           "bytes of its budget of %wu: %s%wu bytes left",
           file, function.name.c_str(), entry.name.c_str(), at_least, bytes, limit,
           complete ? "" : "at most ", left);
  }
  std::vector<std::uint32_t> path = t->way_in(id);
  std::size_t way_in_steps = path.size();
  path.pop_back();  // F starts the way down
  std::vector<std::uint32_t> down = t->way_down(id);
  path.insert(path.end(), down.begin(), down.end());
  for (std::size_t i = 0; i < path.size(); ++i) {
    const TableFunction& s = t->function(path[i]);
    // A step in that crosses a recursive component is no call: say so.
    bool through_cycle = i > 0 && i < way_in_steps && s.through_cycle;
    inform(at, "step %wu: %qs (%wu bytes)%s%s at %s:%u", (unsigned HOST_WIDE_INT)(i + 1),
           s.name.c_str(), (unsigned HOST_WIDE_INT)s.frame,
           through_cycle ? ", reached from the step before through a recursion both are in," : "",
           path[i] == id ? ", this function," : "", s.file.c_str(), s.line);
  }
}

}  // namespace

// GCC's option set (>= 0, below its "unset" HOST_WIDE_INT_MAX) is the
// threshold; unset, kstack's frame-warn; disabled (-1), none.
std::optional<std::uint64_t> FrameWarnings::threshold_for(HOST_WIDE_INT gcc) const {
  if (gcc >= 0 && gcc < HOST_WIDE_INT_MAX) return static_cast<std::uint64_t>(gcc);
  if (gcc == HOST_WIDE_INT_MAX) return options_.frame_warn;
  return std::nullopt;
}

bool FrameWarnings::may_warn_frames() const {
  return taken_ ? frame_threshold_.has_value()
                : threshold_for(warn_frame_larger_than_size).has_value();
}

void FrameWarnings::take_over_gcc_check() {
  if (taken_) return;
  taken_ = true;
  frame_threshold_ = threshold_for(warn_frame_larger_than_size);
  if (warn_frame_larger_than_size >= 0) warn_frame_larger_than_size = HOST_WIDE_INT_MAX;
}

void FrameWarnings::add_current_function(std::size_t record,
                                         std::vector<location_t> call_locations) {
  take_over_gcc_check();
  FrameFacts facts;
  facts.decl = current_function_decl;
  facts.record = record;
  facts.locals = constant_lower_bound(get_frame_size());
  facts.warning_location = input_location;
  facts.calls = std::move(call_locations);
  facts_.push_back(std::move(facts));
}

void FrameWarnings::emit(const Unit& unit) {
  if (facts_.empty() || (!frame_threshold_ && !options_.path_warn)) return;
  Emitter(unit, facts_, options_, *table_, frame_threshold_).run();
}

}  // namespace kstack
