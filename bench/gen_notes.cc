// kstack_gen_notes: synthetic kstack notes at kernel scale and beyond, for
// timing the kstack tool (bench/report_scale.py). It writes DIR/objNNNN.o,
// relocatable ELF objects of one kstack unit each, and DIR/list.txt, an
// @LIST of them, encoded by the unit tests' own encoder (tests/note_builder).
//
// The program is a layered call graph. Function ids 0..N-1 are split into
// contiguous runs, one per object. Every property of a function -- its level,
// binding, name, frame and calls -- is a pure function of (seed, id), drawn
// from a counter-based random stream, so nothing but the per-level lists of
// global functions is stored and any function's calls can be recomputed
// anywhere. Each function has a level in [0, kLevels); a call goes to a
// function of a higher level (a global of any object, a few levels up, or a
// static of the same object), which keeps the graph acyclic and its worst
// paths at most kLevels calls long (about 15 for the median function). Then a few recursion cycles
// are added on purpose: self-recursive functions, and mutual cycles made by walking 1 to 3 calls
// forward from a function and adding the call back to it.
//
// The mix follows a real kernel (the linux 6.1 tinyconfig vmlinux.o) scaled
// to about 5 calls per function: 40% static functions (a third of them with
// names that recur in other objects, a few GCC clones), 3% weak; frames of 8
// bytes for leaves, most under 200 bytes, a few up to 2 KB, 1% with a
// bounded alloca; calls 57% to globals, 35% to statics of the same object, 5%
// indirect, 3% to symbols no object defines (assembly and library routines;
// 5% in all, as the top level has nothing above it to call), 15% of them
// tail calls, 12% merged from several sites.
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "note_builder.h"

namespace {

using kstack::Binding;
using kstack::Call;
using kstack::CallKind;
using kstack::FrameKind;
using kstack::Function;
using kstack::Unit;

constexpr int kExitOk = 0;
constexpr int kExitError = 1;
constexpr int kExitBadUsage = 2;

constexpr char kUsage[] =
    "usage: kstack_gen_notes --functions N --out DIR [--edges-per-function E]\n"
    "                        [--objects M] [--seed S] [--jobs J]\n"
    "\n"
    "Writes DIR/obj0000.o ... (one kstack unit each) and DIR/list.txt, their\n"
    "@LIST, for a synthetic program of N functions with about E calls each\n"
    "(default 5) in M objects (default N/50). The same arguments give the same\n"
    "bytes. Prints one summary line of key=value figures.\n";

constexpr std::uint32_t kLevels = 48;

struct Options {
  std::uint64_t functions = 0;
  std::uint32_t edges_per_function = 5;
  std::uint64_t objects = 0;  // 0: functions / 50
  std::uint64_t seed = 1;
  unsigned jobs = 0;  // 0: one per core
  std::string out;
};

// splitmix64's finaliser: a bijective mix of 64 bits.
std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// What a random stream is for; each purpose of each function has its own.
enum Purpose : std::uint64_t { kTraits = 1, kName, kCalls, kPlace, kObject, kCycle };

// A counter-based random stream keyed by (seed, id, purpose).
class Random {
 public:
  Random(std::uint64_t seed, std::uint64_t id, Purpose purpose)
      : state_(mix(seed * 0x9e3779b97f4a7c15ULL + mix(id * 8 + purpose))) {}
  std::uint64_t next() { return mix(state_ += 0x9e3779b97f4a7c15ULL); }
  std::uint64_t below(std::uint64_t n) { return next() % n; }  // n is far below 2^64
  double unit() { return static_cast<double>(next() >> 11) * 0x1p-53; }
  bool chance(double p) { return unit() < p; }

 private:
  std::uint64_t state_;
};

// Words of generated names. Subsystems and verbs are disjoint and no word
// holds '_', so a global (subsys_verb_noun[_qualifier]_ID), a static
// with a recurring name (verb_noun[_qualifier]_INDEX) and a static with a
// unique one (__verb_noun[_qualifier]_ID) can never be spelled alike; the
// undefined symbols match none of the patterns.
const std::vector<std::string> kSubsystems = {
    "net",     "ext4",   "xfs",    "btrfs", "usb",   "pci",      "drm",     "sched",
    "mm",      "vfs",    "blk",    "tty",   "acpi",  "crypto",   "snd",     "irq",
    "kvm",     "nfs",    "sunrpc", "scsi",  "ata",   "nvme",     "i2c",     "spi",
    "gpio",    "hid",    "input",  "power", "audit", "bpf",      "perf",    "ftrace",
    "cgroup",  "ipv4",   "ipv6",   "tcp",   "udp",   "xhci",     "dma",     "iommu",
    "thermal", "regmap", "clk",    "mmc",   "rtc",   "watchdog", "pinctrl", "virtio"};
const std::vector<std::string> kVerbs = {
    "read",  "write",   "get",     "put",      "alloc",  "free",     "init",     "exit",
    "probe", "remove",  "setup",   "reset",    "update", "handle",   "process",  "queue",
    "flush", "sync",    "lookup",  "insert",   "delete", "attach",   "detach",   "start",
    "stop",  "enable",  "disable", "check",    "parse",  "submit",   "complete", "map",
    "unmap", "lock",    "unlock",  "register", "resume", "suspend",  "show",     "store",
    "open",  "release", "poll",    "build",    "find",   "validate", "prepare",  "commit"};
const std::vector<std::string> kNouns = {
    "queue",   "buffer",  "device",  "inode",   "dentry", "page",    "folio",    "skb",
    "sock",    "request", "context", "config",  "state",  "entry",   "table",    "node",
    "ring",    "frame",   "packet",  "work",    "timer",  "region",  "resource", "channel",
    "port",    "link",    "route",   "session", "extent", "journal", "segment",  "cache",
    "mapping", "vma",     "task",    "group",   "policy", "domain",  "bus",      "driver",
    "clock",   "vector",  "range",   "block",   "super",  "event",   "handler",  "desc"};
const std::vector<std::string> kQualifiers = {
    "locked", "nolock", "async", "common", "internal", "fast", "slow", "one",
    "all",    "range",  "pages", "bulk",   "atomic",   "rcu",  "irq",  "default"};
const std::vector<std::string> kUndefined = {"__put_user_1",
                                             "__put_user_2",
                                             "__put_user_4",
                                             "__put_user_8",
                                             "__get_user_1",
                                             "__get_user_2",
                                             "__get_user_4",
                                             "__get_user_8",
                                             "memcpy",
                                             "memset",
                                             "memmove",
                                             "copy_user_generic_string",
                                             "clear_page_erms",
                                             "__sw_hweight64",
                                             "__x86_indirect_thunk_array",
                                             "__stack_chk_fail",
                                             "__ubsan_handle_out_of_bounds",
                                             "csum_partial"};

// Fixed per function: everything but its calls.
struct Traits {
  std::uint32_t level;
  Binding binding;
  bool recurring_name;  // a static whose name other objects' statics share
  bool clone;           // a static GCC clone, NAME.isra.0 of NAME
  bool alias;           // a global with an alias __se_NAME
  bool self_recursive;
};

// A call before it is spelled: to function `callee`, or to kUndefined[index].
struct PlannedCall {
  CallKind kind;
  bool tail;
  std::uint32_t count;
  std::uint64_t callee;  // kNone for indirect and undefined
  std::uint32_t undefined;
  bool via_alias;
};
constexpr std::uint64_t kNone = UINT64_MAX;

// An object's static functions by level, for calls within the object.
struct ObjectStatics {
  std::vector<std::uint32_t> levels;  // ascending
  std::vector<std::uint64_t> ids;     // in the same order
};

// What was written; each thread counts its own objects and the counts are summed.
struct Totals {
  std::uint64_t globals = 0, weak = 0, statics = 0, clones = 0, aliases = 0;
  std::uint64_t calls = 0, sites = 0, to_global = 0, to_static = 0, indirect = 0;
  std::uint64_t undefined = 0, asm_calls = 0, tail = 0, self_recursive = 0;
  std::uint64_t bytes = 0;
  Totals& operator+=(const Totals& other) {
    globals += other.globals, weak += other.weak, statics += other.statics;
    clones += other.clones, aliases += other.aliases, calls += other.calls;
    sites += other.sites, to_global += other.to_global, to_static += other.to_static;
    indirect += other.indirect, undefined += other.undefined, asm_calls += other.asm_calls;
    tail += other.tail, self_recursive += other.self_recursive, bytes += other.bytes;
    return *this;
  }
};

class Program {
 public:
  explicit Program(const Options& options);

  std::uint64_t first_of(std::uint64_t object) const {
    return object * options_.functions / options_.objects;
  }
  std::uint64_t object_of(std::uint64_t id) const {
    return ((id + 1) * options_.objects - 1) / options_.functions;
  }
  Traits traits(std::uint64_t id) const;
  std::string name(std::uint64_t id, const Traits& traits) const;
  ObjectStatics statics_of(std::uint64_t object) const;
  // The calls of `id` without the cycles' back edges.
  std::vector<PlannedCall> forward_calls(std::uint64_t id, const Traits& traits,
                                         const ObjectStatics& statics) const;
  // The calls of `id`, back edges included, same-callee calls merged.
  std::vector<PlannedCall> calls(std::uint64_t id, const Traits& traits,
                                 const ObjectStatics& statics) const;
  Unit object_unit(std::uint64_t object, Totals& totals) const;
  std::string object_path(std::uint64_t object) const;
  std::uint64_t cycles() const { return cycles_; }

 private:
  std::uint64_t pick_global(Random& random, std::uint32_t above) const;
  void add_cycles();

  const Options& options_;
  std::vector<std::vector<std::uint32_t>> globals_by_level_;
  std::unordered_map<std::uint64_t, std::vector<std::uint64_t>> back_edges_;
  std::uint64_t cycles_ = 0;
  int path_digits_ = 4;
};

Program::Program(const Options& options) : options_(options), globals_by_level_(kLevels) {
  for (std::uint64_t id = 0; id < options.functions; ++id) {
    Traits t = traits(id);
    if (t.binding != Binding::kLocal)
      globals_by_level_[t.level].push_back(static_cast<std::uint32_t>(id));
  }
  while (std::to_string(options.objects - 1).size() > static_cast<std::size_t>(path_digits_))
    ++path_digits_;
  add_cycles();
}

Traits Program::traits(std::uint64_t id) const {
  Random random(options_.seed, id, kTraits);
  Traits t{};
  t.level = static_cast<std::uint32_t>(random.below(kLevels));
  double binding = random.unit();
  t.binding = binding < 0.40 ? Binding::kLocal : binding < 0.43 ? Binding::kWeak : Binding::kGlobal;
  if (t.binding == Binding::kLocal) {
    t.recurring_name = random.chance(0.33);
    t.clone = !t.recurring_name && random.chance(0.06);
  } else {
    t.alias = random.chance(0.002);
  }
  t.self_recursive = random.chance(0.0005);
  return t;
}

std::string Program::name(std::uint64_t id, const Traits& t) const {
  // verb_noun[_qualifier], drawn from `words`
  auto stem = [](Random words) {
    std::string stem = kVerbs[words.below(kVerbs.size())];
    stem += "_" + kNouns[words.below(kNouns.size())];
    if (words.chance(0.6)) stem += "_" + kQualifiers[words.below(kQualifiers.size())];
    return stem;
  };
  if (t.binding != Binding::kLocal) {
    Random object(options_.seed, object_of(id), kObject);
    return kSubsystems[object.below(kSubsystems.size())] + "_" +
           stem(Random(options_.seed, id, kName)) + "_" + std::to_string(id);
  }
  if (t.recurring_name) {
    // Named after its index in the object alone: every object with a
    // recurring-name static at that index has one of the same name.
    std::uint64_t index = id - first_of(object_of(id));
    return stem(Random(options_.seed, index, kName)) + "_" + std::to_string(index);
  }
  std::string base = "__" + stem(Random(options_.seed, id, kName)) + "_" + std::to_string(id);
  return t.clone ? base + ".isra.0" : base;
}

ObjectStatics Program::statics_of(std::uint64_t object) const {
  std::vector<std::pair<std::uint32_t, std::uint64_t>> by_level;
  for (std::uint64_t id = first_of(object); id < first_of(object + 1); ++id) {
    Traits t = traits(id);
    if (t.binding == Binding::kLocal) by_level.emplace_back(t.level, id);
  }
  std::sort(by_level.begin(), by_level.end());
  ObjectStatics statics;
  for (auto& [level, id] : by_level) {
    statics.levels.push_back(level);
    statics.ids.push_back(id);
  }
  return statics;
}

// A global a few levels above `above` (each further level half as likely),
// or kNone at the top.
std::uint64_t Program::pick_global(Random& random, std::uint32_t above) const {
  if (above + 1 >= kLevels) return kNone;
  std::uint32_t level = above + 1;
  while (level + 1 < kLevels && random.chance(0.5)) ++level;
  const std::vector<std::uint32_t>& candidates = globals_by_level_[level];
  if (candidates.empty()) return kNone;
  return candidates[random.below(candidates.size())];
}

std::vector<PlannedCall> Program::forward_calls(std::uint64_t id, const Traits& t,
                                                const ObjectStatics& statics) const {
  Random random(options_.seed, id, kCalls);
  std::uint64_t count = random.below(2 * options_.edges_per_function + 1);
  std::vector<PlannedCall> planned;
  planned.reserve(count + 1);
  for (std::uint64_t i = 0; i < count; ++i) {
    PlannedCall call{CallKind::kDirect, false, 1, kNone, 0, false};
    double what = random.unit();
    if (what < 0.05) {
      call.kind = CallKind::kIndirect;
    } else if (what < 0.43 && what >= 0.08) {
      auto first = std::upper_bound(statics.levels.begin(), statics.levels.end(), t.level);
      std::size_t start = first - statics.levels.begin();
      if (start < statics.ids.size())
        call.callee = statics.ids[start + random.below(statics.ids.size() - start)];
      else
        call.callee = pick_global(random, t.level);
    } else if (what >= 0.43) {
      call.callee = pick_global(random, t.level);
      call.via_alias = random.chance(0.5);
    }
    if (call.kind == CallKind::kDirect && call.callee == kNone) {
      call.undefined = static_cast<std::uint32_t>(random.below(kUndefined.size()));
      if (random.chance(0.5)) call.kind = CallKind::kAsm;  // call __put_user_%c4 in inline asm
    }
    call.tail = random.chance(0.15);
    // Every indirect call site has its own record; other calls are merged.
    if (random.chance(0.12) && call.kind != CallKind::kIndirect)
      call.count = 2 + static_cast<std::uint32_t>(random.below(3));
    planned.push_back(call);
  }
  if (t.self_recursive) planned.push_back({CallKind::kDirect, false, 1, id, 0, false});
  return planned;
}

std::vector<PlannedCall> Program::calls(std::uint64_t id, const Traits& t,
                                        const ObjectStatics& statics) const {
  std::vector<PlannedCall> planned = forward_calls(id, t, statics);
  auto back = back_edges_.find(id);
  if (back != back_edges_.end())
    for (std::uint64_t target : back->second)
      planned.push_back({CallKind::kDirect, false, 1, target, 0, false});
  // The plugin merges calls of one kind, flags and callee into one record.
  std::vector<PlannedCall> merged;
  for (const PlannedCall& call : planned) {
    bool found = false;
    if (call.kind != CallKind::kIndirect) {
      for (PlannedCall& seen : merged) {
        if (seen.kind == call.kind && seen.tail == call.tail && seen.callee == call.callee &&
            seen.undefined == call.undefined && seen.via_alias == call.via_alias) {
          seen.count += call.count;
          found = true;
          break;
        }
      }
    }
    if (!found) merged.push_back(call);
  }
  return merged;
}

// Mutual recursion: from a start function, walk 1 to 3 forward calls and
// add a call from the last function back to the start. Half of the cycles
// start at a global and may cross objects; the other half start at a static
// and stay within its object (a static can only be called from there).
void Program::add_cycles() {
  std::uint64_t wanted = std::max<std::uint64_t>(3, options_.functions / 20000);
  for (std::uint64_t attempt = 0; cycles_ < wanted && attempt < 100 * wanted; ++attempt) {
    Random random(options_.seed, attempt, kCycle);
    std::uint64_t start = random.below(options_.functions);
    Traits start_traits = traits(start);
    bool local = start_traits.binding == Binding::kLocal;
    if (local != (cycles_ % 2 == 1)) continue;
    std::uint64_t length = 2 + random.below(3);
    std::uint64_t at = start;
    bool walked = true;
    for (std::uint64_t step = 1; step < length && walked; ++step) {
      Traits at_traits = traits(at);
      std::vector<PlannedCall> forward = forward_calls(at, at_traits, statics_of(object_of(at)));
      std::vector<std::uint64_t> next;
      for (const PlannedCall& call : forward)
        if (call.callee != kNone && call.callee != at && call.kind == CallKind::kDirect &&
            (!local || object_of(call.callee) == object_of(start)))
          next.push_back(call.callee);
      walked = !next.empty();
      if (walked) at = next[random.below(next.size())];
    }
    if (!walked || at == start) continue;
    back_edges_[at].push_back(start);
    ++cycles_;
  }
}

std::string Program::object_path(std::uint64_t object) const {
  std::string digits = std::to_string(object);
  return options_.out + "/obj" + std::string(path_digits_ - digits.size(), '0') + digits + ".o";
}

// A frame as GCC's x.su gives it on x86_64, the return address included:
// 8 for most leaves (35%), 88% at most 200 bytes, 2% from 600 bytes up to 2 KB.
void draw_frame(Random& random, Function& function) {
  double size_class = random.unit();
  std::uint64_t frame;
  if (size_class < 0.35)
    frame = 8;
  else if (size_class < 0.88)
    frame = 16 + 8 * static_cast<std::uint64_t>(23 * random.unit() * random.unit());
  else if (size_class < 0.98)
    frame = 200 + 8 * random.below(50);
  else
    frame = 600 + 8 * random.below(182);
  function.frame_size = function.static_size = frame;
  if (random.chance(0.01)) {
    function.frame_kind = FrameKind::kDynamicBounded;
    function.dynamic_alloc = true;
    function.dynamic_size = 16 * (1 + random.below(16));
    function.frame_size += function.dynamic_size;
  }
}

Unit Program::object_unit(std::uint64_t object, Totals& totals) const {
  Random object_random(options_.seed, object, kObject);
  const std::string& subsystem = kSubsystems[object_random.below(kSubsystems.size())];
  const std::string& noun = kNouns[object_random.below(kNouns.size())];
  std::string base = "drivers/" + subsystem + "/" + noun + std::to_string(object);
  Unit unit;
  unit.main_input = "/usr/src/linux-6.1/" + base + ".c";
  unit.output_base = base;
  unit.producer = "GCC 12.2.0";
  unit.target = "x86_64-linux-gnu";
  unit.return_address_in_frame = 8;

  ObjectStatics statics = statics_of(object);
  std::uint64_t first = first_of(object), end = first_of(object + 1);
  unit.functions.reserve(end - first);
  std::uint32_t line = 20;
  for (std::uint64_t id = first; id < end; ++id) {
    Traits t = traits(id);
    Random random(options_.seed, id, kPlace);
    Function& function = unit.functions.emplace_back();
    function.name = name(id, t);
    function.su_name = function.name;
    if (t.clone) {
      // GCC's .su prints a clone with its suffix but not its number: NAME.isra
      function.su_name = function.name.substr(0, function.name.size() - 2);
      function.origin = function.name.substr(0, function.name.size() - 7);
      function.clone = function.artificial = true;
      ++totals.clones;
    }
    function.file = unit.main_input;
    function.line = line += 3 + static_cast<std::uint32_t>(random.below(60));
    function.column = 5 + static_cast<std::uint32_t>(random.below(16));
    function.binding = t.binding;
    draw_frame(random, function);
    ++(t.binding == Binding::kLocal  ? totals.statics
       : t.binding == Binding::kWeak ? totals.weak
                                     : totals.globals);
    if (t.alias) {
      unit.aliases.push_back({"__se_" + function.name, function.name, Binding::kGlobal});
      ++totals.aliases;
    }
    totals.self_recursive += t.self_recursive;

    std::uint32_t call_line = function.line + 2;
    for (const PlannedCall& planned : calls(id, t, statics)) {
      Call& call = function.calls.emplace_back();
      call.kind = planned.kind;
      call.tail = planned.tail;
      call.count = planned.count;
      call.file = unit.main_input;
      call.line = call_line += 1 + static_cast<std::uint32_t>(random.below(4));
      call.column = 2 + static_cast<std::uint32_t>(random.below(20));
      if (planned.kind == CallKind::kIndirect) {
        ++totals.indirect;
      } else if (planned.callee == kNone) {
        call.callee = kUndefined[planned.undefined];
        ++totals.undefined;
        totals.asm_calls += planned.kind == CallKind::kAsm;
      } else {
        Traits callee_traits = traits(planned.callee);
        call.callee = name(planned.callee, callee_traits);
        if (planned.via_alias && callee_traits.alias) call.callee = "__se_" + call.callee;
        ++(callee_traits.binding == Binding::kLocal ? totals.to_static : totals.to_global);
      }
      ++totals.calls;
      totals.sites += call.count;
      totals.tail += call.tail;
    }
    line = call_line;
  }
  return unit;
}

bool write_file(const std::string& path, const kstack::test::Bytes& bytes) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (!file) return false;
  bool ok = std::fwrite(bytes.data(), 1, bytes.size(), file) == bytes.size();
  return std::fclose(file) == 0 && ok;
}

// Writes objects [0, count) striped over `jobs` threads; false on a write error.
bool write_objects(const Program& program, const Options& options, Totals& totals) {
  std::atomic<bool> failed{false};
  std::vector<Totals> per_job(options.jobs);
  auto worker = [&](unsigned job) {
    Totals& totals = per_job[job];
    for (std::uint64_t object = job; object < options.objects && !failed; object += options.jobs) {
      Unit unit = program.object_unit(object, totals);
      kstack::test::Descriptor descriptor =
          kstack::test::encode_descriptor(unit, kstack::Endian::kLittle);
      kstack::test::Bytes elf = kstack::test::build_kstack_elf({}, {descriptor.bytes});
      std::string path = program.object_path(object);
      if (!write_file(path, elf)) {
        std::cerr << "kstack_gen_notes: error: cannot write '" << path
                  << "': " << std::strerror(errno) << '\n';
        failed = true;
      }
      totals.bytes += elf.size();
    }
  };
  std::vector<std::thread> threads;
  for (unsigned job = 1; job < options.jobs; ++job) threads.emplace_back(worker, job);
  worker(0);
  for (std::thread& thread : threads) thread.join();
  for (const Totals& job_totals : per_job) totals += job_totals;
  return !failed;
}

int usage_error(const std::string& message) {
  std::cerr << "kstack_gen_notes: error: " << message << '\n'
            << std::string_view(kUsage).substr(0, std::string_view(kUsage).find('\n') + 1);
  return kExitBadUsage;
}

// Parses a decimal count; false unless all of `text` is one.
bool parse_count(const std::string& text, std::uint64_t& value) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) return false;
  errno = 0;
  value = std::strtoull(text.c_str(), nullptr, 10);
  return errno == 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  std::vector<std::string> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string key = args[i], value;
    if (key == "--help" || key == "-h") {
      std::cout << kUsage;
      return kExitOk;
    }
    if (std::size_t equals = key.find('='); equals != std::string::npos) {
      value = key.substr(equals + 1);
      key.resize(equals);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return usage_error("'" + key + "' needs a value");
    }
    std::uint64_t number = 0;
    bool numeric = parse_count(value, number);
    if (key == "--out") {
      options.out = value;
      continue;
    }
    if (!numeric) return usage_error("'" + key + "' needs a number, not '" + value + "'");
    if (key == "--functions")
      options.functions = number;
    else if (key == "--edges-per-function")
      options.edges_per_function = static_cast<std::uint32_t>(number);
    else if (key == "--objects")
      options.objects = number;
    else if (key == "--seed")
      options.seed = number;
    else if (key == "--jobs")
      options.jobs = static_cast<unsigned>(number);
    else
      return usage_error("unknown option '" + key + "'");
  }
  if (options.out.empty()) return usage_error("no --out DIR");
  if (options.functions == 0) return usage_error("no --functions N (at least 1)");
  if (options.functions > UINT32_MAX) return usage_error("--functions must be below 2^32");
  if (options.edges_per_function > 1000) return usage_error("--edges-per-function is at most 1000");
  if (options.objects == 0) options.objects = std::max<std::uint64_t>(1, options.functions / 50);
  if (options.objects > options.functions)
    return usage_error("--objects must not exceed --functions");
  if (options.jobs == 0) options.jobs = std::max(1u, std::thread::hardware_concurrency());

  std::error_code error;
  std::filesystem::create_directories(options.out, error);
  if (error) {
    std::cerr << "kstack_gen_notes: error: cannot create '" << options.out
              << "': " << error.message() << '\n';
    return kExitError;
  }
  options.out = std::filesystem::absolute(options.out).lexically_normal().string();
  while (options.out.size() > 1 && options.out.back() == '/') options.out.pop_back();

  auto start = std::chrono::steady_clock::now();
  Program program(options);
  Totals totals;
  if (!write_objects(program, options, totals)) return kExitError;
  std::string list_path = options.out + "/list.txt";
  std::FILE* list = std::fopen(list_path.c_str(), "w");
  bool list_ok = list != nullptr;
  for (std::uint64_t object = 0; list_ok && object < options.objects; ++object)
    list_ok = std::fprintf(list, "%s\n", program.object_path(object).c_str()) > 0;
  if (list && std::fclose(list) != 0) list_ok = false;
  if (!list_ok) {
    std::cerr << "kstack_gen_notes: error: cannot write '" << list_path
              << "': " << std::strerror(errno) << '\n';
    return kExitError;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::printf(
      "functions=%llu objects=%llu globals=%llu weak=%llu statics=%llu clones=%llu "
      "aliases=%llu calls=%llu sites=%llu to_global=%llu to_static=%llu indirect=%llu "
      "undefined=%llu asm=%llu tail=%llu self_recursive=%llu mutual_cycles=%llu bytes=%llu "
      "seconds=%.2f\n",
      static_cast<unsigned long long>(options.functions),
      static_cast<unsigned long long>(options.objects),
      static_cast<unsigned long long>(totals.globals), static_cast<unsigned long long>(totals.weak),
      static_cast<unsigned long long>(totals.statics),
      static_cast<unsigned long long>(totals.clones),
      static_cast<unsigned long long>(totals.aliases),
      static_cast<unsigned long long>(totals.calls), static_cast<unsigned long long>(totals.sites),
      static_cast<unsigned long long>(totals.to_global),
      static_cast<unsigned long long>(totals.to_static),
      static_cast<unsigned long long>(totals.indirect),
      static_cast<unsigned long long>(totals.undefined),
      static_cast<unsigned long long>(totals.asm_calls),
      static_cast<unsigned long long>(totals.tail),
      static_cast<unsigned long long>(totals.self_recursive),
      static_cast<unsigned long long>(program.cycles()),
      static_cast<unsigned long long>(totals.bytes), seconds);
  return kExitOk;
}
