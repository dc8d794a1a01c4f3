// The HTML report's page template, style and script (tool/html/), compiled
// into kstack by cmake/embed_text.cmake.
#ifndef KSTACK_TOOL_HTML_ASSETS_H
#define KSTACK_TOOL_HTML_ASSETS_H

#include <string_view>

namespace kstack::html_assets {

// page.html: the document, with the markers @TITLE@, @PRODUCER@, @STYLE@,
// @DATA@ and @SCRIPT@ where the printer puts the rest.
extern const std::string_view kPage;
extern const std::string_view kStyle;   // page.css
extern const std::string_view kScript;  // page.js

}  // namespace kstack::html_assets

#endif  // KSTACK_TOOL_HTML_ASSETS_H
