// A hand-built program analysed as `kstack report` does, with the queries
// the analysis tests ask of it by function name. Shared by report_test.cc
// and indirect_test.cc.
#ifndef KSTACK_TESTS_ANALYSED_H
#define KSTACK_TESTS_ANALYSED_H

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "report.h"

namespace kstack::test {

// A program and what the user says about it, analysed as `kstack report`
// does. Not copyable: the report points into `units` and `options`.
struct Analysed {
  explicit Analysed(std::vector<Unit> u, ReportOptions o = {})
      : units(std::move(u)), options(std::move(o)), report(units, options) {}
  Analysed(const Analysed&) = delete;
  Analysed& operator=(const Analysed&) = delete;

  std::uint32_t node(const std::string& name, std::uint32_t unit = 0) const {
    const SymbolTable& symbols = report.symbols();
    for (std::uint32_t n = 0; n < symbols.size(); ++n)
      if (symbols.id(n).unit == unit && symbols.function(n).name == name) return n;
    ADD_FAILURE() << "no function " << name << " in unit " << unit;
    return kNoFunction;
  }
  const Depth& depth(const std::string& name, std::uint32_t unit = 0) const {
    return report.depth_of(node(name, unit));
  }
  const EntryDepth& entered(const std::string& name) const { return report.entered()[node(name)]; }
  std::string name(std::uint32_t n) const {
    return n == kNoFunction ? "(none)" : report.function(n).name;
  }
  std::vector<std::string> names(const std::vector<std::uint32_t>& nodes) const {
    std::vector<std::string> result;
    for (std::uint32_t n : nodes) result.push_back(name(n));
    return result;
  }
  std::vector<std::string> entry_names() const {
    std::vector<std::string> result;
    for (const EntryReport& e : report.entries()) result.push_back(name(e.node));
    return result;
  }
  const EntryReport& entry(const std::string& name) const {
    for (const EntryReport& e : report.entries())
      if (report.function(e.node).name == name) return e;
    ADD_FAILURE() << "no entry " << name;
    return report.entries().front();
  }
  std::vector<Reason::Kind> reason_kinds(const std::string& name) const {
    std::vector<Reason::Kind> kinds;
    for (std::uint32_t r : depth(name).reasons) kinds.push_back(report.depth().reasons[r].kind);
    return kinds;
  }
  std::vector<std::string> unused() const {
    std::vector<std::string> result;
    for (const UnusedAnnotation& u : report.unused_annotations())
      result.push_back(u.what + " @" + u.source.file + ":" + std::to_string(u.source.line));
    return result;
  }

  std::vector<Unit> units;
  ReportOptions options;
  Report report;
};

}  // namespace kstack::test

#endif  // KSTACK_TESTS_ANALYSED_H
