// The HTML report's page: the data it embeds (read back with the tool's own
// JSON reader) and the escaping that keeps names that look like markup from
// ending the data's <script> element or the title. What a browser draws from
// it is lit/report/html.test's business.
#include <gtest/gtest.h>

#include <sstream>

#include "analysed.h"
#include "json_reader.h"
#include "program_builder.h"
#include "report_printers.h"

namespace kstack::test {
namespace {

constexpr std::string_view kDataStart = R"(<script type="application/json" id="kstack-data">)";

std::string page_of(const Analysed& p, const ReportPrintOptions& options = {}) {
  std::ostringstream out;
  print_report_html(out, p.report, options);
  return out.str();
}

// The page's embedded data, as it is in the page.
std::string data_text(const std::string& page) {
  const std::size_t start = page.find(kDataStart);
  EXPECT_NE(start, std::string::npos);
  const std::size_t from = start + kDataStart.size();
  return page.substr(from, page.find("</script>", from) - from);
}

std::size_t count(const std::string& text, std::string_view what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

std::string string_at(const JsonValue& array, std::size_t i) {
  return *array.as_array()->at(i).as_string();
}

std::uint64_t uint_at(const JsonValue& array, std::size_t i) {
  return *array.as_array()->at(i).as_uint64();
}

TEST(HtmlReport, EmbedsEachEntryWithItsWorstPathAndEachFunctionOnce) {
  // main (16) -> a (32) -tail-> b (48); task (8) -> b. b is on both paths.
  Analysed p({unit({function("main", 16, {call_to("a")}), function("a", 32, {call_to("b", true)}),
                    function("b", 48), function("task", 8, {call_to("b")})})});
  const JsonValue data = parse_json(data_text(page_of(p)));
  EXPECT_EQ(data.find("version")->as_uint64(), 1u);
  EXPECT_EQ(data.find("summary")->find("entries")->as_uint64(), 2u);

  const JsonValue& functions = *data.find("functions");
  const JsonArray& entries = *data.find("entries")->as_array();
  ASSERT_EQ(entries.size(), 2u);
  auto name_of = [&](const JsonValue& index) {
    return string_at(functions.as_array()->at(*index.as_uint64()), 0);
  };
  EXPECT_EQ(name_of(*entries[0].find("f")), "main");
  EXPECT_EQ(entries[0].find("depth")->as_uint64(), 64u);  // b runs where a ran
  const JsonArray& path = *entries[0].find("path")->as_array();
  ASSERT_EQ(path.size(), 3u);
  // [function, frame, red zone, stack, call file, call line, how, note, recursion]
  EXPECT_EQ(name_of(path[2].as_array()->at(0)), "b");
  EXPECT_EQ(uint_at(path[2], 1), 48u);
  EXPECT_EQ(uint_at(path[2], 3), 64u);
  EXPECT_EQ(string_at(path[2], 6), "tail call");
  EXPECT_EQ(string_at(path[1], 6), "");

  EXPECT_EQ(name_of(*entries[1].find("f")), "task");
  const JsonArray& task_path = *entries[1].find("path")->as_array();
  ASSERT_EQ(task_path.size(), 2u);
  // One row for b, named by both paths.
  EXPECT_EQ(task_path[1].as_array()->at(0).as_uint64(), path[2].as_array()->at(0).as_uint64());
  EXPECT_EQ(functions.as_array()->size(), 4u);
}

TEST(HtmlReport, MarkupInNamesEndsNeitherTheDataNorTheTitle) {
  Function f = function("</script><b>x&y\"", 16);
  f.file = "<dir>/a.c";
  Analysed p({unit({f})});
  ReportPrintOptions options;
  options.title = "</title><script>";
  const std::string page = page_of(p, options);

  const std::string data = data_text(page);
  EXPECT_EQ(data.find('<'), std::string::npos);
  const JsonValue parsed = parse_json(data);
  EXPECT_EQ(string_at(parsed.find("functions")->as_array()->at(0), 0), "</script><b>x&y\"");
  EXPECT_EQ(*parsed.find("files")->as_array()->at(0).as_string(), "<dir>/a.c");
  EXPECT_EQ(*parsed.find("title")->as_string(), "</title><script>");

  // Only the page's own elements open and close: the data's and the script's.
  EXPECT_EQ(count(page, "</script>"), 2u);
  EXPECT_EQ(count(page, "<title>"), 1u);
  EXPECT_NE(page.find("<title>kstack: &lt;/title&gt;&lt;script&gt;</title>"), std::string::npos);
}

TEST(HtmlReport, NoMarkerIsLeftAndNoResourceIsLoaded) {
  Analysed p({unit({function("main", 16)})});
  const std::string page = page_of(p);
  for (const char* marker : {"@TITLE@", "@PRODUCER@", "@STYLE@", "@DATA@", "@SCRIPT@"})
    EXPECT_EQ(page.find(marker), std::string::npos) << marker;
  EXPECT_EQ(page.find(" src="), std::string::npos);
  EXPECT_EQ(page.find("<link"), std::string::npos);
  EXPECT_EQ(page.find("http"), std::string::npos);
}

TEST(HtmlReport, BudgetsAndTheirSources) {
  ReportOptions options;
  options.budgets = {{"main", 100, {"app.ann", 3}}};
  Analysed p({unit({function("main", 160), function("other", 8)})}, std::move(options));
  const JsonValue data = parse_json(data_text(page_of(p)));
  const JsonValue& main_entry = data.find("entries")->as_array()->at(0);
  EXPECT_EQ(main_entry.find("budget")->as_uint64(), 100u);
  EXPECT_EQ(*main_entry.find("budget_from")->as_string(), "app.ann:3");
  EXPECT_EQ(*main_entry.find("status")->as_string(), "over-budget");
  EXPECT_TRUE(*main_entry.find("fails")->as_bool());
  EXPECT_TRUE(data.find("entries")->as_array()->at(1).find("budget")->is_null());
  EXPECT_EQ(data.find("summary")->find("over_budget")->as_uint64(), 1u);
}

}  // namespace
}  // namespace kstack::test
