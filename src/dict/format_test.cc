// The compiled format: round trips, determinism, and rejection of damaged files.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <thread>

#include "dict/test_util.h"
#include "dyad/dict.h"
#include "util/binary.h"

namespace dyad::dict {
namespace {

using testing::Words;

constexpr std::string_view kVerbs = R"(&STEED
+HORSE
+MEARAS_
--- RIDE [032] ---
RIDE {RIDES RODE RIDDEN RIDING}
+RIDE_OUT {+RIDES_OUT +RODE_OUT +RIDING_OUT} [042:043]
- $ * (TO +) [032:033]
- * &STEED [---]
- + WAS_* BY_$ [0231!]
- * {WHITE &STEED} (ACROSS ^) [036?]
~ a (a b RIDE) RIDE = a b Q
)";
constexpr std::string_view kActors =
    "ROHAN_ [ROH]\n+EDORAS\n\t[ROHGOV 30180101-30191231]\nTHEODEN [ROHGOV >30190301]\n";
constexpr std::string_view kAgents = "RIDER [~MIL]\nWHITE_COUNCIL {} [IGO~]\n";
constexpr std::string_view kDiscards = "+SECOND_BREAKFAST\nPIPEWEED\n";
constexpr std::string_view kIssues =
    "<ISSUE CATEGORY=\"HORSES\" TYPE=\"ALL\">\nn:horse [HORSES]\n~~hobby horse\n</ISSUE>\n";

std::shared_ptr<const Dictionary> Small(std::string_view actors = kActors) {
  DictionaryBuilder b;
  b.Add(DictKind::kVerbs, kVerbs, "small.verbs");
  b.Add(DictKind::kActors, actors, "small.actors");
  b.Add(DictKind::kAgents, kAgents, "small.agents");
  b.Add(DictKind::kDiscards, kDiscards, "small.discards");
  b.Add(DictKind::kIssues, kIssues, "small.issues");
  EXPECT_EQ(b.report().errors(), 0u);
  return b.Build();
}

// Everything a reader can see, as text: equal descriptions mean equal dictionaries.
std::string Describe(const Dictionary& d) {
  std::string s = d.StatsText() + d.tagset() + "\n";
  for (const auto& src : d.sources())
    s += src.name + " " + std::to_string(src.bytes) + " " + std::to_string(src.checksum) + " " +
         std::to_string(src.entries) + "/" + std::to_string(src.skipped) + "\n";
  for (size_t i = 0; i < d.num_words(); ++i) s += std::string(d.word(i)) + " ";
  for (const auto& p : d.patterns())
    s += d.PatternText(p) + " @" + d.Where(p.where) + p.text + "\n";
  for (const auto& b : d.verb_blocks()) {
    s += b.meaning + b.code.ToString();
    for (auto v : b.verbs) s += " v" + std::to_string(v);
    for (auto p : b.patterns) s += " p" + std::to_string(p);
    s += "\n";
  }
  for (const auto& v : d.verbs()) {
    s += v.text + v.code.ToString() + std::to_string(v.own_code) + std::to_string(v.irregular);
    for (const auto& f : v.forms)
      s += " " + std::to_string(f.verb) + "/" + std::to_string(f.before.size()) + "/" +
           std::to_string(f.after.size());
    s += "\n";
  }
  for (const auto& r : d.VerbsForWord(d.FindWord("RIDE")))
    s += "ref " + std::to_string(r.verb) + "/" + std::to_string(r.form) + "\n";
  for (const auto& t : d.transformations()) s += t.text + t.out_code + t.target + "\n";
  auto table = [&](const PhraseTable& t, const char* name) {
    for (const auto& p : t.phrases())
      s += std::string(name) + " " + d.PhraseText(t, p) + " -> " + std::to_string(p.owner) +
           " gaps " + std::to_string(p.gaps) + "\n";
  };
  table(d.synset_members(), "synset");
  table(d.actor_phrases(), "actor");
  table(d.agent_phrases(), "agent");
  table(d.discard_phrases(), "discard");
  table(d.issue_phrases(), "issue");
  for (const auto& a : d.actors()) {
    s += a.root + " @" + d.Where(a.where);
    for (const auto& c : a.codes)
      s += " " + c.code + ":" + std::to_string(c.from) + "-" + std::to_string(c.to);
    s += "\n";
  }
  for (const auto& a : d.agents()) s += a.code + std::to_string(a.prefix) + "\n";
  for (const auto& x : d.discards()) s += std::to_string(x.story) + std::to_string(x.stem) + "\n";
  for (const auto& x : d.issues())
    s += std::to_string(static_cast<int>(x.kind)) + " " + std::to_string(x.code) + " " +
         std::to_string(x.category) + "\n";
  return s;
}

TEST(Format, RoundTripKeepsEverything) {
  auto d = Small();
  for (int level : {0, 3, 19}) {
    std::string bytes = d->Serialize(level);
    auto back = Dictionary::Parse(bytes, "memory");
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ((*back)->fingerprint(), d->fingerprint());
    EXPECT_EQ(Describe(**back), Describe(*d));
    EXPECT_EQ((*back)->Serialize(level), bytes) << "not byte-identical at level " << level;
    // The word index works after loading.
    EXPECT_EQ((*back)->FindWord("edoras"), d->FindWord("EDORAS"));
    EXPECT_NE((*back)->FindWord("EDORAS"), kNoWord);
  }
}

TEST(Format, HeaderStartsWithMagicVersionAndTagset) {
  std::string bytes = Small()->Serialize();
  ASSERT_GT(bytes.size(), 20u);
  EXPECT_EQ(bytes.substr(0, 8), "DYADDICT");
  uint32_t version = 0;
  std::memcpy(&version, bytes.data() + 8, 4);
  EXPECT_EQ(version, kDictFormatVersion);
  EXPECT_NE(bytes.find("UD v2"), std::string::npos);
  auto back = Dictionary::Parse(bytes, "memory");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ((*back)->tagset(), "UD v2");
  EXPECT_EQ((*back)->format_version(), kDictFormatVersion);
  EXPECT_EQ((*back)->sources().size(), 5u);
  EXPECT_EQ((*back)->sources()[1].name, "small.actors");
  EXPECT_EQ((*back)->sources()[1].checksum, Fnv1a64(kActors));
}

TEST(Format, FingerprintIsDeterministicAndFollowsTheContents) {
  auto a = Small();
  auto b = Small();
  EXPECT_EQ(a->fingerprint(), b->fingerprint());
  EXPECT_EQ(a->Serialize(), b->Serialize());
  std::string changed(kActors);
  changed.replace(changed.find("[ROH]"), 5, "[RHN]");
  EXPECT_NE(Small(changed)->fingerprint(), a->fingerprint());
}

TEST(Format, SaveAndLoad) {
  auto d = Small();
  std::string path = (std::filesystem::temp_directory_path() /
                      ("dyad_dict_test_" + std::to_string(::getpid()) + ".dyadd"))
                         .string();
  ASSERT_TRUE(d->Save(path).ok());
  auto back = Dictionary::Load(path);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ((*back)->fingerprint(), d->fingerprint());
  std::filesystem::remove(path);
  auto missing = Dictionary::Load(path);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find(path), std::string::npos);
}

TEST(Format, RejectsEveryTruncation) {
  for (int level : {0, 19}) {
    std::string bytes = Small()->Serialize(level);
    for (size_t n = 0; n < bytes.size(); ++n) {
      auto r = Dictionary::Parse(std::string_view(bytes).substr(0, n), "cut");
      ASSERT_FALSE(r.ok()) << "accepted a file cut to " << n << " of " << bytes.size();
    }
    EXPECT_FALSE(Dictionary::Parse(bytes + "x", "long").ok());  // trailing bytes
  }
}

TEST(Format, RejectsEveryFlippedByte) {
  for (int level : {0, 19}) {
    std::string bytes = Small()->Serialize(level);
    for (size_t i = 0; i < bytes.size(); ++i) {
      std::string bad = bytes;
      bad[i] = static_cast<char>(bad[i] ^ 0x10);
      auto r = Dictionary::Parse(bad, "flip");
      ASSERT_FALSE(r.ok()) << "accepted a flipped byte at " << i;
    }
  }
}

TEST(Format, ClearMessagesForWrongFiles) {
  std::string bytes = Small()->Serialize();
  auto r = Dictionary::Parse("not a dictionary at all", "x.dyadd");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("x.dyadd: not a dyad dictionary"), std::string::npos);
  EXPECT_NE(r.status().message().find("dyad dict import"), std::string::npos);

  // A newer format version (with a valid checksum) is refused by number.
  std::string newer = bytes;
  uint32_t v = 99;
  std::memcpy(newer.data() + 8, &v, 4);
  uint64_t sum = Fnv1a64(std::string_view(newer).substr(0, newer.size() - 8));
  std::memcpy(newer.data() + newer.size() - 8, &sum, 8);
  r = Dictionary::Parse(newer, "new.dyadd");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("format version 99 is not supported"), std::string::npos)
      << r.status().message();

  // A parser with other labels must not use these patterns.
  r = Dictionary::Parse(bytes, "x.dyadd", "Penn Treebank");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("assumes the tagset \"UD v2\""), std::string::npos);
}

// Rewrites the fingerprint and checksum of an uncompressed file after its payload was edited,
// as a buggy or hostile producer could: the cross-reference checks must still hold.
void Reseal(std::string* bytes) {
  BinaryReader r(std::string_view(*bytes).substr(8), "reseal");
  r.U32();
  r.U32();
  std::string tagset = r.Str();
  r.Str();
  size_t src_begin = 8 + r.position();
  uint32_t n = r.U32();
  for (uint32_t i = 0; i < n; ++i) {
    r.Str();
    r.U8();
    r.U64();
    r.U64();
    r.U32();
    r.U32();
  }
  size_t fp_at = 8 + r.position();
  std::string_view sources = std::string_view(*bytes).substr(src_begin, fp_at - src_begin);
  size_t payload_at = fp_at + 24;
  std::string_view payload =
      std::string_view(*bytes).substr(payload_at, bytes->size() - 8 - payload_at);
  uint64_t fp = Fnv1a64(payload, Fnv1a64(sources, Fnv1a64(tagset)));
  std::memcpy(bytes->data() + fp_at, &fp, 8);
  uint64_t sum = Fnv1a64(std::string_view(*bytes).substr(0, bytes->size() - 8));
  std::memcpy(bytes->data() + bytes->size() - 8, &sum, 8);
}

TEST(Format, SurvivesResealedGarbageInThePayload) {
  std::string bytes = Small()->Serialize(0);
  {
    std::string same = bytes;
    Reseal(&same);
    ASSERT_EQ(same, bytes);  // Reseal understands the layout
  }
  size_t rejected = 0, total = 0;
  for (size_t i = 100; i + 8 < bytes.size(); ++i) {
    for (uint8_t x : {0x01, 0x80, 0xff}) {
      std::string bad = bytes;
      bad[i] = static_cast<char>(bad[i] ^ x);
      Reseal(&bad);
      auto r = Dictionary::Parse(bad, "garbage");
      ++total;
      if (!r.ok()) {
        ++rejected;
        continue;
      }
      // Accepted (e.g. a letter changed in a word): every accessor must stay in bounds.
      const Dictionary& d = **r;
      for (const auto& p : d.patterns()) d.PatternText(p);
      for (WordId w = 0; w < d.num_words(); ++w) d.VerbsForWord(w);
      for (const auto& p : d.actor_phrases().phrases()) d.PhraseText(d.actor_phrases(), p);
    }
  }
  EXPECT_GT(rejected, total / 4) << rejected << " of " << total;
}

TEST(Format, OneDictionarySharedByThreads) {
  // Immutable after loading: concurrent readers need no locks (run under the sanitizers by
  // `make debug-test`).
  auto d = Dictionary::Parse(Small()->Serialize(), "memory");
  ASSERT_TRUE(d.ok());
  std::shared_ptr<const Dictionary> shared = *d;
  std::vector<std::thread> threads;
  std::vector<int> found(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([shared, t, &found] {
      for (int i = 0; i < 2000; ++i) {
        auto words = Words(*shared, i % 2 ? "edoras" : "THEODEN");
        const auto* p = shared->actor_phrases().Match(words, 0);
        if (p && !shared->actors()[p->owner].CodeOn(30190601).empty()) ++found[t];
        found[t] += shared->VerbsForWord(shared->FindWord("rode")).size() == 2 ? 0 : 1000000;
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int f : found) EXPECT_EQ(f, 2000);
}

}  // namespace
}  // namespace dyad::dict
