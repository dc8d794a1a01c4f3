// The annotation file parser (see annotations.h for the directives). A line
// is split into words; the first names the directive, which checks its own
// word count and numbers. Stubs become records of their own afterwards
// (append_stub_units), once every file is read.
#include "annotations.h"

#include <vector>

#include "text_file.h"

namespace kstack {
namespace {

std::vector<std::string> split_words(std::string_view line) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    const std::size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
    if (i > start) words.emplace_back(line.substr(start, i - start));
  }
  return words;
}

class LineParser {
 public:
  LineParser(const std::string& file, std::uint32_t line, Diagnostics& diagnostics)
      : file_(file), line_(line), diagnostics_(diagnostics) {}

  bool fail(const std::string& message) {
    diagnostics_.error_at_line(file_, line_, message);
    return false;
  }

  bool bytes(const std::string& word, const char* what, std::uint64_t& value) {
    const std::optional<std::uint64_t> parsed = parse_bytes(word);
    if (!parsed) return fail(std::string(what) + " '" + word + "' is not a number");
    value = *parsed;
    return true;
  }

  Source source() const { return {file_, line_}; }

  // One directive; WORDS[0] is its name.
  bool parse(const std::vector<std::string>& words, std::string_view rest_after_two,
             ReportOptions& options) {
    const std::string& directive = words[0];
    const std::size_t n = words.size();
    if (directive == "calls" || directive == "indirect") {
      if (n < 3) return fail("'" + directive + "' needs a caller and at least one callee");
      AddedCalls added;
      added.caller = words[1];
      added.callees.assign(words.begin() + 2, words.end());
      added.indirect = directive == "indirect";
      added.file = file_;
      added.line = line_;
      options.added_calls.push_back(std::move(added));
      return true;
    }
    if (directive == "jumps") {
      if (n < 3) return fail("'jumps' needs a symbol and at least one target");
      Trampoline trampoline;
      trampoline.symbol = words[1];
      trampoline.targets.assign(words.begin() + 2, words.end());
      trampoline.file = file_;
      trampoline.line = line_;
      options.trampolines.push_back(std::move(trampoline));
      return true;
    }
    if (directive == "stub") {
      if (n < 3) return fail("'stub' needs a symbol and a number of bytes");
      Stub stub;
      stub.symbol = words[1];
      if (has_glob_characters(stub.symbol))
        return fail("a stub defines one function: '" + stub.symbol + "' is a glob");
      if (!bytes(words[2], "frame", stub.bytes)) return false;
      for (const Stub& other : options.stubs)
        if (other.symbol == stub.symbol)
          return fail("stub '" + stub.symbol + "' is already defined at " + other.source.file +
                      ":" + std::to_string(other.source.line));
      stub.targets.assign(words.begin() + 3, words.end());
      stub.source = source();
      options.stubs.push_back(std::move(stub));
      return true;
    }
    if (directive == "assume") {
      if (n != 3) return fail("'assume' needs a symbol and a number of bytes");
      AssumedDepth assumed{words[1], 0, source()};
      if (!bytes(words[2], "depth", assumed.bytes)) return false;
      options.depth.assumed.push_back(std::move(assumed));
      return true;
    }
    if (directive == "recursion") {
      if (n != 3) return fail("'recursion' needs a function and a number of activations");
      RecursionBound bound{words[1], 0, source()};
      if (!bytes(words[2], "activations", bound.activations)) return false;
      if (bound.activations == 0) return fail("a recursion bound must be at least 1");
      options.depth.recursion.push_back(std::move(bound));
      return true;
    }
    if (directive == "entry") {
      if (n != 2) return fail("'entry' needs one function");
      options.entries.push_back({words[1], source()});
      return true;
    }
    if (directive == "budget") {
      if (n != 3) return fail("'budget' needs an entry and a number of bytes");
      Budget budget{words[1], 0, source()};
      if (!bytes(words[2], "budget", budget.bytes)) return false;
      options.budgets.push_back(std::move(budget));
      return true;
    }
    if (directive == "accept") {
      if (n < 4) return fail("'accept' needs an entry, a number of bytes and a reason");
      Accept accept{words[1], 0, std::string(rest_after_two), source()};
      if (!bytes(words[2], "accepted depth", accept.max_bytes)) return false;
      options.accepts.push_back(std::move(accept));
      return true;
    }
    return fail("unknown directive '" + directive + "'");
  }

 private:
  const std::string& file_;
  std::uint32_t line_;
  Diagnostics& diagnostics_;
};

// The text after the first three words (an accept's reason), trimmed.
std::string_view after_words(std::string_view line, int count) {
  std::size_t i = 0;
  for (int w = 0; w < count; ++w) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
  }
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  std::size_t end = line.size();
  while (end > i && (line[end - 1] == ' ' || line[end - 1] == '\t' || line[end - 1] == '\r')) --end;
  return line.substr(i, end - i);
}

}  // namespace

bool parse_annotations(const std::string& file, std::string_view text, Diagnostics& diagnostics,
                       ReportOptions& options) {
  bool ok = true;
  std::uint32_t number = 0;
  while (!text.empty()) {
    const std::size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    ++number;
    line = line.substr(0, line.find('#'));
    const std::vector<std::string> words = split_words(line);
    if (words.empty()) continue;
    LineParser parser(file, number, diagnostics);
    ok &= parser.parse(words, after_words(line, 3), options);
  }
  return ok;
}

bool read_annotations(const std::string& path, Diagnostics& diagnostics, ReportOptions& options) {
  const std::optional<std::string> text = read_text_file(path, diagnostics);
  return text && parse_annotations(path, *text, diagnostics, options);
}

void append_stub_units(ReportOptions& options, std::vector<Unit>& units) {
  const std::size_t first = units.size();
  for (Stub& stub : options.stubs) {
    std::size_t u = first;
    while (u < units.size() && units[u].input != stub.source.file) ++u;
    if (u == units.size()) {
      Unit& unit = units.emplace_back();
      unit.input = unit.main_input = stub.source.file;
      unit.producer = "kstack annotations";
    }
    Function f;
    f.name = f.su_name = stub.symbol;
    f.file = stub.source.file;
    f.line = stub.source.line;
    f.binding = Binding::kWeak;  // a record of the same name wins
    f.frame_size = f.static_size = stub.bytes;
    for (const std::string& target : stub.targets) {
      Call& call = f.calls.emplace_back();
      call.callee = target;
      call.file = stub.source.file;
      call.line = stub.source.line;
    }
    stub.function = {static_cast<std::uint32_t>(u),
                     static_cast<std::uint32_t>(units[u].functions.size())};
    units[u].functions.push_back(std::move(f));
  }
}

}  // namespace kstack
