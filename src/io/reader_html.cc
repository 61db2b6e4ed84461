// HTML article extraction with libgumbo (see ExtractHtmlArticle in dyad/reader.h).
#include <gumbo.h>

#include <array>
#include <cctype>
#include <cstring>
#include <string>
#include <vector>

#include "dyad/reader.h"

namespace dyad {
namespace {

std::string Lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

bool In(std::string_view name, std::initializer_list<std::string_view> set) {
  for (auto s : set)
    if (s == name) return true;
  return false;
}

// A cheap scan of the nesting depth, before gumbo: elements that close themselves (void
// elements, <p>, <li>, cells, ...) are not counted, so ordinary sloppy HTML stays shallow.
// Returns the deepest nesting seen (stopping early once above `limit`).
int EstimateDepth(std::string_view h, int limit) {
  int depth = 0, deepest = 0;
  size_t i = 0;
  while (i < h.size()) {
    size_t lt = h.find('<', i);
    if (lt == std::string_view::npos || lt + 1 >= h.size()) break;
    i = lt + 1;
    if (h.compare(lt, 4, "<!--") == 0) {
      size_t e = h.find("-->", lt + 4);
      if (e == std::string_view::npos) break;
      i = e + 3;
      continue;
    }
    bool close = h[i] == '/';
    if (close) ++i;
    size_t b = i;
    while (i < h.size() && (std::isalnum(static_cast<unsigned char>(h[i])) || h[i] == '-' ||
                            h[i] == ':'))
      ++i;
    if (i == b || !std::isalpha(static_cast<unsigned char>(h[b]))) continue;
    std::string name = Lower(h.substr(b, std::min<size_t>(i - b, 32)));
    size_t gt = h.find('>', i);
    if (gt == std::string_view::npos) break;
    bool self_closing = gt > 0 && h[gt - 1] == '/';
    i = gt + 1;
    if (!close && (name == "script" || name == "style" || name == "textarea" ||
                   name == "title" || name == "xmp" || name == "plaintext")) {
      // Raw text: skip to the end tag.
      std::string end = "</" + name;
      size_t e = i;
      while (true) {
        e = h.find("</", e);
        if (e == std::string_view::npos) break;
        if (Lower(h.substr(e, end.size())) == end) break;
        e += 2;
      }
      if (e == std::string_view::npos) break;
      i = e;
      continue;
    }
    static const std::initializer_list<std::string_view> kFlat = {
        "area",  "base",  "br",     "col",      "embed", "hr",    "img",    "input", "link",
        "meta",  "param", "source", "track",    "wbr",   "p",     "li",     "dt",    "dd",
        "tr",    "td",    "th",     "option",   "optgroup", "thead", "tbody", "tfoot",
        "colgroup", "rb", "rt",     "rp",       "html",  "head",  "body",   "frame", "keygen",
        "basefont", "bgsound", "image", "isindex", "menuitem"};
    if (In(name, kFlat) || self_closing) continue;
    if (close) {
      if (depth > 0) --depth;
    } else if (++depth > deepest) {
      deepest = depth;
      if (deepest > limit) return deepest;
    }
  }
  return deepest;
}

const char* Attr(const GumboElement& e, const char* name) {
  const GumboAttribute* a = gumbo_get_attribute(&e.attributes, name);
  return a ? a->value : nullptr;
}

bool Boilerplate(const GumboElement& e) {
  static constexpr std::array<std::string_view, 34> kWords = {
      "nav",     "navbar",   "navigation", "menu",       "share",         "sharing",
      "social",  "cookie",   "cookies",    "consent",    "comment",       "comments",
      "related", "sidebar",  "breadcrumb", "breadcrumbs", "advert",       "advertisement",
      "ad",      "ads",      "promo",      "newsletter", "subscribe",     "subscription",
      "footer",  "header",   "masthead",   "banner",     "popup",         "modal",
      "signup",  "toolbar",  "skip",       "pagination"};
  for (const char* attr : {"class", "id", "role"}) {
    const char* v = Attr(e, attr);
    if (!v) continue;
    std::string s = Lower(v);
    if (std::strcmp(attr, "role") == 0 &&
        (s == "navigation" || s == "banner" || s == "contentinfo" || s == "complementary" ||
         s == "menu" || s == "menubar" || s == "search"))
      return true;
    size_t p = 0;
    while (p < s.size()) {
      while (p < s.size() && !std::isalnum(static_cast<unsigned char>(s[p]))) ++p;
      size_t q = p;
      while (q < s.size() && std::isalnum(static_cast<unsigned char>(s[q]))) ++q;
      std::string_view word = std::string_view(s).substr(p, q - p);
      for (auto k : kWords)
        if (word == k) return true;
      p = q;
    }
  }
  const char* hidden = Attr(e, "aria-hidden");
  return Attr(e, "hidden") != nullptr || (hidden && Lower(hidden) == "true");
}

bool SkipTag(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_NAV: case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER: case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_FORM: case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_SELECT: case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_IFRAME: case GUMBO_TAG_SVG:
    case GUMBO_TAG_MENU: case GUMBO_TAG_FIGURE: case GUMBO_TAG_OBJECT: case GUMBO_TAG_EMBED:
    case GUMBO_TAG_CANVAS: case GUMBO_TAG_MATH: case GUMBO_TAG_HEAD:
    case GUMBO_TAG_TITLE: case GUMBO_TAG_AUDIO: case GUMBO_TAG_VIDEO: case GUMBO_TAG_MAP:
    case GUMBO_TAG_DATALIST:
      return true;
    default:
      return false;
  }
}

// Block elements end the paragraph being collected.
bool BlockTag(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_P: case GUMBO_TAG_DIV: case GUMBO_TAG_H1: case GUMBO_TAG_H2:
    case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6:
    case GUMBO_TAG_LI: case GUMBO_TAG_UL: case GUMBO_TAG_OL: case GUMBO_TAG_DL:
    case GUMBO_TAG_DT: case GUMBO_TAG_DD: case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_PRE:
    case GUMBO_TAG_TABLE: case GUMBO_TAG_TR: case GUMBO_TAG_TD: case GUMBO_TAG_TH:
    case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_MAIN: case GUMBO_TAG_BR:
    case GUMBO_TAG_HR: case GUMBO_TAG_ADDRESS: case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_CAPTION: case GUMBO_TAG_BODY: case GUMBO_TAG_CENTER: case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_SUMMARY: case GUMBO_TAG_HGROUP:
      return true;
    default:
      return false;
  }
}

bool ParagraphTag(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_P: case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3:
    case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_PRE:
      return true;
    default:
      return false;
  }
}

// Appends text with white space runs collapsed to one blank.
void AppendCollapsed(std::string_view s, std::string* out) {
  for (char c : s) {
    bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
    if (space) {
      if (!out->empty() && out->back() != ' ') *out += ' ';
    } else {
      *out += c;
    }
  }
}

std::string Trim(std::string s) {
  size_t b = s.find_first_not_of(' ');
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(' ');
  return s.substr(b, e - b + 1);
}

// The text of a subtree (iterative), collapsed.
std::string TextOf(const GumboNode* n) {
  std::string out;
  std::vector<const GumboNode*> stack{n};
  while (!stack.empty()) {
    const GumboNode* x = stack.back();
    stack.pop_back();
    if (x->type == GUMBO_NODE_TEXT || x->type == GUMBO_NODE_CDATA ||
        x->type == GUMBO_NODE_WHITESPACE) {
      AppendCollapsed(x->v.text.text, &out);
    } else if (x->type == GUMBO_NODE_ELEMENT || x->type == GUMBO_NODE_TEMPLATE) {
      if (x != n && SkipTag(x->v.element.tag)) continue;
      const GumboVector& c = x->v.element.children;
      for (size_t i = c.length; i-- > 0;) stack.push_back(static_cast<const GumboNode*>(c.data[i]));
    }
  }
  return Trim(std::move(out));
}

struct Output {
  GumboOutput* out;
  ~Output() {
    if (out) gumbo_destroy_output(&kGumboDefaultOptions, out);
  }
};

}  // namespace

Result<HtmlArticle> ExtractHtmlArticle(std::string_view html, int max_depth) {
  int depth = EstimateDepth(html, max_depth);
  if (depth > max_depth)
    return Status::Error("HTML nested deeper than " + std::to_string(max_depth) + " elements");
  if (html.size() > (1u << 30)) return Status::Error("HTML larger than 1 GB");
  GumboOptions opts = kGumboDefaultOptions;
  opts.max_errors = 0;  // we do not look at parse errors; do not collect them
  Output o{gumbo_parse_with_options(&opts, html.data(), html.size())};
  if (!o.out || !o.out->root) return Status::Error("the HTML parser failed");

  HtmlArticle a;
  const GumboNode* article = nullptr;
  const GumboNode* main = nullptr;
  const GumboNode* body = nullptr;
  const GumboNode* h1 = nullptr;
  std::string time_attr, og_title, og_url, meta_date;
  int meta_rank = 100;
  // Pass 1: metadata and the candidate roots (iterative walk).
  std::vector<const GumboNode*> stack{o.out->root};
  while (!stack.empty()) {
    const GumboNode* n = stack.back();
    stack.pop_back();
    if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_TEMPLATE) continue;
    const GumboElement& e = n->v.element;
    switch (e.tag) {
      case GUMBO_TAG_TITLE:
        if (a.title.empty()) a.title = TextOf(n);
        break;
      case GUMBO_TAG_META: {
        const char* key = Attr(e, "property");
        if (!key) key = Attr(e, "name");
        if (!key) key = Attr(e, "itemprop");
        const char* content = Attr(e, "content");
        if (!key || !content) break;
        std::string k = Lower(key);
        if (k == "og:title" && og_title.empty()) og_title = content;
        if (k == "og:url" && og_url.empty()) og_url = content;
        static constexpr std::array<std::string_view, 12> kDateKeys = {
            "article:published_time", "datepublished", "date", "pubdate", "publishdate",
            "dc.date.issued", "dc.date", "dcterms.created", "dcterms.date", "sailthru.date",
            "parsely-pub-date", "og:published_time"};
        for (size_t r = 0; r < kDateKeys.size(); ++r)
          if (k == kDateKeys[r] && static_cast<int>(r) < meta_rank) {
            meta_rank = static_cast<int>(r);
            meta_date = content;
          }
        break;
      }
      case GUMBO_TAG_LINK: {
        const char* rel = Attr(e, "rel");
        const char* href = Attr(e, "href");
        if (rel && href && Lower(rel) == "canonical" && a.url.empty()) a.url = href;
        break;
      }
      case GUMBO_TAG_TIME: {
        const char* dt = Attr(e, "datetime");
        if (dt && time_attr.empty()) time_attr = dt;
        break;
      }
      case GUMBO_TAG_H1:
        if (!h1) h1 = n;
        break;
      case GUMBO_TAG_ARTICLE:
        if (!article) article = n;
        break;
      case GUMBO_TAG_MAIN:
        if (!main) main = n;
        break;
      case GUMBO_TAG_BODY:
        if (!body) body = n;
        break;
      default: {
        const char* role = Attr(e, "role");
        if (role && Lower(role) == "main" && !main) main = n;
      }
    }
    const GumboVector& c = e.children;
    for (size_t i = c.length; i-- > 0;) stack.push_back(static_cast<const GumboNode*>(c.data[i]));
  }
  if (!og_title.empty()) a.title = og_title;
  if (a.title.empty() && h1) a.title = TextOf(h1);
  {
    std::string t;
    AppendCollapsed(a.title, &t);
    a.title = Trim(std::move(t));
  }
  if (a.url.empty()) a.url = og_url;
  a.date = !meta_date.empty() ? meta_date : time_attr;

  const GumboNode* root = article ? article : main ? main : body ? body : o.out->root;
  bool fallback = !article && !main;

  // Pass 2: paragraphs of the root.
  struct Block {
    std::string text;
    bool paragraph;
  };
  std::vector<Block> blocks;
  std::string cur;
  std::vector<GumboTag> open_blocks;  // innermost block element last
  auto flush = [&]() {
    std::string t = Trim(std::move(cur));
    cur.clear();
    if (t.empty()) return;
    bool para = false;
    for (GumboTag tag : open_blocks)
      if (ParagraphTag(tag)) para = true;
    blocks.push_back({std::move(t), para});
  };
  struct Frame {
    const GumboNode* node;
    bool exit;
  };
  std::vector<Frame> frames{{root, false}};
  while (!frames.empty()) {
    Frame f = frames.back();
    frames.pop_back();
    const GumboNode* n = f.node;
    if (f.exit) {
      flush();
      open_blocks.pop_back();
      continue;
    }
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_CDATA ||
        n->type == GUMBO_NODE_WHITESPACE) {
      AppendCollapsed(n->v.text.text, &cur);
      continue;
    }
    if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_TEMPLATE &&
        n->type != GUMBO_NODE_DOCUMENT)
      continue;
    const GumboVector* children = nullptr;
    if (n->type == GUMBO_NODE_DOCUMENT) {
      children = &n->v.document.children;
    } else {
      const GumboElement& e = n->v.element;
      if (n != root && (SkipTag(e.tag) || Boilerplate(e))) continue;
      children = &e.children;
      if (BlockTag(e.tag)) {
        flush();
        open_blocks.push_back(e.tag);
        frames.push_back({n, true});
      }
    }
    for (size_t i = children->length; i-- > 0;)
      frames.push_back({static_cast<const GumboNode*>(children->data[i]), false});
  }
  flush();
  bool any_paragraph = false;
  for (const auto& b : blocks) any_paragraph |= b.paragraph;
  for (const auto& b : blocks) {
    if (fallback && any_paragraph && !b.paragraph) continue;
    if (!a.text.empty()) a.text += "\n\n";
    a.text += b.text;
  }
  return a;
}

}  // namespace dyad
