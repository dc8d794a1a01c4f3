// Calls that exist only as text, in inline asm templates.
//
// The kernel calls helpers from asm: `call __put_user_%c4` (the size is
// operand 4), `call __x86_indirect_thunk_%V[thunk_target]`, alternatives that
// carry a second `call` in .altinstr_replacement. The template is first
// rendered the way final would print it, as far as it matters for branch
// targets: %N of a constant prints the number, of a symbol its name, of a
// register its name; then split into statements, labels dropped, and each
// call/jump mnemonic's target read. A target that is a local label (`1f`,
// `.Lfoo`, a label the template defines) is not a call; a target kstack cannot
// name (a register, memory, an operand it cannot render) is recorded as an asm
// call with an empty callee, which the tool treats as unknown, never as 0.
#include <cctype>
#include <set>

#include "recorder.h"

namespace kstack {

using namespace note;

namespace {

// The text of operand OP as a branch target would print it; "?" if kstack
// cannot tell.
std::string render_operand(rtx op) {
  char buf[32];
  switch (GET_CODE(op)) {
    case CONST_INT:
      snprintf(buf, sizeof buf, HOST_WIDE_INT_PRINT_DEC, INTVAL(op));
      return buf;
    case SYMBOL_REF:
      return compat::strip_name_encoding(XSTR(op, 0));
    case REG: {
      const char* name = reg_names[REGNO(op)];
      return name[0] == '%' ? name + 1 : name;
    }
    case CONST:
      if (GET_CODE(XEXP(op, 0)) == PLUS && GET_CODE(XEXP(XEXP(op, 0), 0)) == SYMBOL_REF)
        return render_operand(XEXP(XEXP(op, 0), 0));
      return "?";
    case LABEL_REF:
      return ".L?";
    default:
      return "?";
  }
}

// Expands %-escapes of an extended asm template; x86 `{att|intel}` dialect
// alternatives keep the first (AT&T) spelling.
std::string render_template(const char* tmpl, rtx* operands, int noperands) {
  std::string out;
#ifdef ASSEMBLER_DIALECT
  const bool dialects = true;
#else
  const bool dialects = false;
#endif
  int skip_alternative = 0;  // inside `|...}`
  for (const char* p = tmpl; *p; ++p) {
    if (dialects && !skip_alternative && *p == '{') continue;
    if (dialects && *p == '|') {
      skip_alternative = 1;
      continue;
    }
    if (dialects && *p == '}') {
      skip_alternative = 0;
      continue;
    }
    if (skip_alternative) continue;
    if (*p != '%') {
      out += *p;
      continue;
    }
    ++p;
    if (!*p) break;
    if (*p == '%' || *p == '{' || *p == '}' || *p == '|') {
      out += *p;
      continue;
    }
    if (*p == '=') {
      out += '0';
      continue;
    }
    bool is_label = false;
    while (ISALPHA(*p)) is_label |= (*p++ == 'l');
    if (!ISDIGIT(*p)) {
      out += '?';
      --p;
      continue;
    }
    int n = 0;
    while (ISDIGIT(*p)) n = n * 10 + (*p++ - '0');
    --p;
    if (is_label)
      out += ".L?";
    else
      out += n < noperands && operands[n] ? render_operand(operands[n]) : "?";
  }
  return out;
}

// Removes the target assembler's comments.
std::string strip_comments(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 2, "/*") == 0) {
      std::size_t end = text.find("*/", i + 2);
      if (end == std::string::npos) break;
      i = end + 1;
      continue;
    }
    const char* comment = compat::asm_comment();
    std::size_t len = strlen(comment);
    if (len && text.compare(i, len, comment) == 0) {
      while (i < text.size() && text[i] != '\n') ++i;
      if (i < text.size()) out += '\n';
      continue;
    }
    out += text[i];
  }
  return out;
}

bool is_symbol_char(char c) { return ISALNUM(c) || c == '_' || c == '.' || c == '$'; }

std::string trim(const std::string& s) {
  std::size_t b = 0, e = s.size();
  while (b < e && ISSPACE(s[b])) ++b;
  while (e > b && ISSPACE(s[e - 1])) --e;
  return s.substr(b, e - b);
}

// Splits TEXT into statements and removes leading `label:` definitions,
// collecting them in LABELS.
std::vector<std::string> statements(const std::string& text, std::set<std::string>& labels) {
  std::vector<std::string> result;
  std::string current;
  auto flush = [&] {
    std::string s = trim(current);
    current.clear();
    for (;;) {
      std::size_t i = 0;
      while (i < s.size() && is_symbol_char(s[i])) ++i;
      if (i == 0 || i >= s.size() || s[i] != ':') break;
      labels.insert(s.substr(0, i));
      s = trim(s.substr(i + 1));
    }
    if (!s.empty()) result.push_back(s);
  };
  for (char c : text) {
    if (c == '\n' || c == ';') {
      flush();
      continue;
    }
    current += c;
  }
  flush();
  return result;
}

bool is_local_label(const std::string& target, const std::set<std::string>& labels) {
  if (target.empty()) return false;
  if (target.compare(0, 2, ".L") == 0 || target == ".") return true;
  if (labels.count(target)) return true;
  // Numeric local labels: 1f, 23b, or a bare number defined as `1:`.
  std::size_t i = 0;
  while (i < target.size() && ISDIGIT(target[i])) ++i;
  return i > 0 &&
         (i == target.size() || (i + 1 == target.size() && (target[i] == 'f' || target[i] == 'b')));
}

// The branch target operand of STATEMENT after its mnemonic: the first operand
// on x86, the last elsewhere (cbz x0, label; tbz x0, #3, label).
std::string branch_operand(const std::string& operands) {
#if defined(KSTACK_TARGET_X86)
  std::size_t comma = operands.find(',');
  return trim(operands.substr(0, comma));
#else
  std::size_t comma = operands.rfind(',');
  return trim(comma == std::string::npos ? operands : operands.substr(comma + 1));
#endif
}

// The symbol a direct branch operand names, or "" when the operand is not a
// plain symbol (register, memory, expression kstack cannot read).
std::string target_symbol(std::string operand) {
  // foo@PLT, foo(PLT), foo+4
  for (const char* suffix : {"@", "(PLT)", "+"}) {
    std::size_t at = operand.find(suffix);
    if (at != std::string::npos && at > 0) operand = operand.substr(0, at);
  }
  if (operand.empty() || !(ISALPHA(operand[0]) || operand[0] == '_' || operand[0] == '.'))
    return "";
  for (char c : operand)
    if (!is_symbol_char(c)) return "";
  return operand;
}

bool is_register_name(const std::string& s) {
  for (int r = 0; r < FIRST_PSEUDO_REGISTER; ++r) {
    const char* name = reg_names[r];
    if (name[0] == '%') ++name;
    if (s == name) return true;
  }
  return s == "lr" || s == "ip" || s == "pc";
}

}  // namespace

std::vector<Call> scan_asm_template(const char* tmpl, rtx* operands, int noperands,
                                    bool substitute) {
  std::string text = substitute ? render_template(tmpl, operands, noperands) : std::string(tmpl);
  std::set<std::string> labels;
  std::vector<std::string> lines = statements(strip_comments(text), labels);
  std::vector<Call> calls;
  for (const std::string& line : lines) {
    std::size_t i = 0;
    std::string mnemonic;
    // Skip instruction prefixes that may precede a branch (x86).
    for (;;) {
      std::size_t start = i;
      while (i < line.size() && !ISSPACE(line[i])) ++i;
      mnemonic = line.substr(start, i - start);
      for (char& c : mnemonic) c = TOLOWER(c);
      while (i < line.size() && ISSPACE(line[i])) ++i;
      if (mnemonic != "notrack" && mnemonic != "bnd" && mnemonic != "lock" && mnemonic != "rep")
        break;
    }
    compat::AsmBranch branch = compat::classify_asm_mnemonic(mnemonic);
    if (branch == compat::AsmBranch::kNone) continue;
    std::string operand = branch_operand(line.substr(i));
    if (operand.empty()) continue;  // e.g. `bx` with nothing after: not a branch we know
    if (is_local_label(operand, labels)) continue;
    if (operand == "lr" && mnemonic == "bx") continue;  // arm return
    Call call;
    call.kind = CallKind::kAsm;
    call.tail = branch == compat::AsmBranch::kJump;
    std::string symbol = operand[0] == '*' ? "" : target_symbol(operand);
    if (!symbol.empty() && !is_register_name(symbol)) call.callee = symbol;
    calls.push_back(std::move(call));
  }
  return calls;
}

}  // namespace kstack
