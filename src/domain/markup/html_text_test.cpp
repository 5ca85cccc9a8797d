#include <gtest/gtest.h>

#include "domain/markup/sanitizer.h"

namespace tandem::markup {
namespace {

TEST(HtmlText, APersonReadsTheTextNotTheMarkup) {
  EXPECT_EQ(html_to_text("<p>VPN 每隔十分钟断开一次</p><p>Second &amp; last</p>"), "VPN 每隔十分钟断开一次\nSecond & last");
  EXPECT_EQ(html_to_text("line one<br>line two<br/>line three"), "line one\nline two\nline three");
  EXPECT_EQ(html_to_text("<ul><li>a</li><li>b</li></ul>"), "a\nb");
  EXPECT_EQ(html_to_text("<p>  many    spaces  </p>"), "many spaces");
}

TEST(HtmlText, ScriptsAndStylesLeaveNothing) {
  auto text = html_to_text("<html><head><style>p{color:red}</style><script>alert(1)</script></head>"
                           "<body><p>kept</p><script>steal()</script><img src=x onerror=alert(1)></body></html>");
  EXPECT_EQ(text, "kept");
}

TEST(HtmlText, LinksKeepTheirSafeTargets) {
  EXPECT_EQ(html_to_text("<a href=\"https://it.east.test/vpn\">the guide</a>"), "the guide (https://it.east.test/vpn)");
  EXPECT_EQ(html_to_text("<a href=\"javascript:alert(2)\">详情</a>"), "详情") << "an unsafe target is dropped with the link";
  EXPECT_EQ(html_to_text("<a href=\"#top\">top</a>"), "top");
}

TEST(HtmlText, EscapedTextComesBackAsWritten) {
  EXPECT_EQ(html_to_text("<p>&lt;script&gt; is text here, &quot;quoted&quot; &#39;too&#39;</p>"), "<script> is text here, \"quoted\" 'too'");
  EXPECT_EQ(html_to_text(""), "");
  EXPECT_EQ(html_to_text("<p>See <img src=\"https://x.test/a.png\" alt=\"the error\"></p>"), "See the error");
}

}  // namespace
}  // namespace tandem::markup
