#include "nlp/lemmatizer.h"

#include <algorithm>
#include <map>
#include <random>
#include <tuple>

#include "nlp/tagger_words.h"
#include "util/binary.h"

namespace dyad::nlp::internal {
namespace {

using ml::FeatureHash;

size_t CommonPrefix(std::string_view a, std::string_view b) {
  size_t n = 0;
  while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
  // Never split a code point: back up to its first byte.
  while (n > 0 && n < a.size() && (static_cast<unsigned char>(a[n]) & 0xC0) == 0x80) --n;
  return n;
}

std::string RuleKey(const LemmaRule& r) {
  return std::string(r.lower ? "L" : "K") + r.strip + '\0' + r.append;
}

constexpr uint32_t kMaxRuleBytes = 1 << 12;

}  // namespace

LemmaRule DeriveRule(std::string_view form, std::string_view lemma) {
  std::string lower = Lowercase(form);
  size_t keep = CommonPrefix(form, lemma);
  size_t keep_lower = CommonPrefix(lower, lemma);
  LemmaRule r;
  std::string_view base = form;
  if (keep_lower > keep) {
    r.lower = true;
    base = lower;
    keep = keep_lower;
  }
  r.strip = std::string(base.substr(keep));
  r.append = std::string(lemma.substr(keep));
  return r;
}

uint64_t Lemmatizer::Key(std::string_view form, int tag) {
  return FeatureHash::Add(FeatureHash::String(form), static_cast<uint64_t>(tag));
}

bool Lemmatizer::Applies(const LemmaRule& r, std::string_view form, std::string_view lower) {
  return (r.lower ? lower : form).ends_with(r.strip);
}

std::string Lemmatizer::Apply(const LemmaRule& r, std::string_view form, std::string_view lower) {
  std::string_view base = r.lower ? lower : form;
  if (!base.ends_with(r.strip)) return std::string(form);
  std::string out(base.substr(0, base.size() - r.strip.size()));
  out += r.append;
  return out.empty() ? std::string(form) : out;
}

int Lemmatizer::Features(std::string_view lower, uint32_t flags, int tag, uint64_t* out) {
  const uint64_t t = static_cast<uint64_t>(tag);
  int n = 0;
  out[n++] = FeatureHash::Add(FeatureHash::Start(100), t);
  for (int k = 1; k <= 6; ++k) {
    std::string_view suf = SuffixChars(lower, k);
    const uint64_t h = FeatureHash::String(suf);
    out[n++] = FeatureHash::Add(FeatureHash::Start(100 + k), h);
    out[n++] = FeatureHash::Add(FeatureHash::Add(FeatureHash::Start(110 + k), h), t);
    if (suf.size() == lower.size()) break;
  }
  out[n++] = FeatureHash::Add(FeatureHash::Add(FeatureHash::Start(120), flags), t);
  out[n++] =
      FeatureHash::Add(FeatureHash::Add(FeatureHash::Start(121),
                                        static_cast<uint64_t>(std::min(CountChars(lower), 8))),
                       t);
  return n;
}

Lemmatizer Lemmatizer::Train(const std::vector<Example>& examples, const Options& opts) {
  Lemmatizer lm;
  // 1. Rules, their type counts, and the most frequent rule per (form, tag) and per
  //    (lowercased form, tag). std::map keeps every choice independent of hash order.
  std::map<std::string, LemmaRule> rule_by_key;
  std::map<std::pair<std::string, int>, std::map<std::string, int>> exact_counts, lower_counts;
  std::map<std::tuple<std::string, int, std::string>, int> type_set;
  for (const Example& e : examples) {
    if (e.lemma.empty() || e.lemma == "_" || e.form.empty()) continue;
    LemmaRule r = DeriveRule(e.form, e.lemma);
    if (r.strip.size() > kMaxRuleBytes || r.append.size() > kMaxRuleBytes) continue;
    std::string key = RuleKey(r);
    rule_by_key.emplace(key, r);
    std::string form(e.form);
    ++exact_counts[{form, e.tag}][key];
    std::string lower = Lowercase(e.form);
    LemmaRule rl = DeriveRule(lower, e.lemma);
    std::string lkey = RuleKey(rl);
    rule_by_key.emplace(lkey, rl);
    ++lower_counts[{lower, e.tag}][lkey];
    ++type_set[{form, e.tag, key}];
  }
  std::map<std::string, int> rule_types;
  for (const auto& [t, n] : type_set) ++rule_types[std::get<2>(t)];

  // 2. Rule ids: classifier rules first (most types first), then dictionary-only rules.
  std::vector<std::pair<int, std::string>> order;
  for (const auto& [key, r] : rule_by_key) {
    auto it = rule_types.find(key);
    order.push_back({it == rule_types.end() ? 0 : it->second, key});
  }
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::map<std::string, uint32_t> rule_id;
  int num_classes = 0;
  for (const auto& [n, key] : order) {
    if (n >= opts.min_rule_types) ++num_classes;
    rule_id[key] = static_cast<uint32_t>(lm.rules_.size());
    lm.rules_.push_back(rule_by_key[key]);
  }
  // The identity rule must always be available to the classifier.
  if (num_classes == 0) {
    lm.rules_.insert(lm.rules_.begin(), LemmaRule{});
    for (auto& [k, id] : rule_id) ++id;
    num_classes = 1;
  }

  auto best_rule = [&](const std::map<std::string, int>& counts) {
    const std::string* best = nullptr;
    int n = -1;
    for (const auto& [key, c] : counts)
      if (c > n) best = &key, n = c;
    return rule_id[*best];
  };
  std::map<std::pair<std::string, int>, uint32_t> lower_rule;
  for (const auto& [ft, counts] : lower_counts) {
    const uint32_t id = best_rule(counts);
    lower_rule[ft] = id;
    lm.lower_keys_.push_back(Key(ft.first, ft.second));
    lm.lower_rules_.push_back(id);
  }
  // An exact-form entry is kept only where it says something the lowercase entry does not.
  for (const auto& [ft, counts] : exact_counts) {
    const uint32_t id = best_rule(counts);
    const std::string lower = Lowercase(ft.first);
    auto it = lower_rule.find({lower, ft.second});
    if (it != lower_rule.end() &&
        Apply(lm.rules_[id], ft.first, lower) == Apply(lm.rules_[it->second], lower, lower))
      continue;
    lm.exact_keys_.push_back(Key(ft.first, ft.second));
    lm.exact_rules_.push_back(id);
  }

  // 3. The classifier for unseen forms, trained on types: the frequent irregular words that
  //    dominate tokens are in the dictionary anyway.
  struct Train {
    std::string form, lower;
    uint32_t flags;
    int tag;
    uint32_t gold;
  };
  std::vector<Train> data;
  for (const auto& [t, n] : type_set) {
    uint32_t id = rule_id[std::get<2>(t)];
    if (static_cast<int>(id) >= num_classes) continue;
    const std::string& form = std::get<0>(t);
    data.push_back({form, Lowercase(form), WordFlags(form), std::get<1>(t), id});
  }
  ml::PerceptronTrainer trainer(num_classes);
  std::mt19937_64 rng(opts.seed);
  std::vector<size_t> idx(data.size());
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  uint64_t feats[kMaxFeatures];
  std::vector<float> scores(static_cast<size_t>(num_classes));
  for (int epoch = 0; epoch < opts.epochs; ++epoch) {
    for (size_t i = idx.size(); i > 1; --i) std::swap(idx[i - 1], idx[rng() % i]);
    for (size_t i : idx) {
      const Train& d = data[i];
      const int nf = Features(d.lower, d.flags, d.tag, feats);
      std::fill(scores.begin(), scores.end(), 0.f);
      trainer.Score(feats, static_cast<size_t>(nf), scores.data());
      int best = -1;
      for (int c = 0; c < num_classes; ++c)
        if (Applies(lm.rules_[c], d.form, d.lower) && (best < 0 || scores[c] > scores[best]))
          best = c;
      if (best != static_cast<int>(d.gold)) {
        trainer.Update(feats, static_cast<size_t>(nf), static_cast<int>(d.gold), 1.f);
        if (best >= 0) trainer.Update(feats, static_cast<size_t>(nf), best, -1.f);
      }
      trainer.Tick();
    }
  }
  lm.model_ = trainer.Finalize();
  lm.BuildIndex();
  return lm;
}

void Lemmatizer::BuildIndex() {
  exact_.Build(exact_keys_, exact_rules_);
  lower_.Build(lower_keys_, lower_rules_);
}

std::string Lemmatizer::Lemmatize(std::string_view form, std::string_view lower, int tag) const {
  if (const uint32_t* id = exact_.Find(Key(form, tag))) return Apply(rules_[*id], form, lower);
  if (const uint32_t* id = lower_.Find(Key(lower, tag))) return Apply(rules_[*id], lower, lower);
  const int n = model_.num_classes();
  if (n <= 0) return std::string(form);
  uint64_t feats[kMaxFeatures];
  const int nf = Features(lower, WordFlags(form), tag, feats);
  float stack_scores[512];
  std::vector<float> heap_scores;
  float* scores = stack_scores;
  if (n > 512) {
    heap_scores.assign(static_cast<size_t>(n), 0.f);
    scores = heap_scores.data();
  } else {
    std::fill(scores, scores + n, 0.f);
  }
  model_.Score(feats, static_cast<size_t>(nf), scores);
  int best = -1;
  for (int c = 0; c < n; ++c)
    if (Applies(rules_[c], form, lower) && (best < 0 || scores[c] > scores[best])) best = c;
  if (best < 0) return std::string(form);
  return Apply(rules_[best], form, lower);
}

void Lemmatizer::Serialize(BinaryWriter* w) const {
  w->U32(static_cast<uint32_t>(rules_.size()));
  for (const LemmaRule& r : rules_) {
    w->U8(r.lower ? 1 : 0);
    w->Str(r.strip);
    w->Str(r.append);
  }
  w->PodVector(exact_keys_);
  w->PodVector(exact_rules_);
  w->PodVector(lower_keys_);
  w->PodVector(lower_rules_);
  model_.Serialize(w);
}

Result<Lemmatizer> Lemmatizer::Parse(BinaryReader* r) {
  Lemmatizer lm;
  uint32_t n = r->U32();
  // Each rule takes at least 9 bytes.
  if (n > r->remaining() / 9) r->Fail("lemma rule count " + std::to_string(n) + " does not fit");
  for (uint32_t i = 0; i < n && r->ok(); ++i) {
    LemmaRule rule;
    uint8_t lower = r->U8();
    if (lower > 1) r->Fail("bad lemma rule flag");
    rule.lower = lower == 1;
    rule.strip = r->Str();
    rule.append = r->Str();
    lm.rules_.push_back(std::move(rule));
  }
  lm.exact_keys_ = r->PodVector<uint64_t>();
  lm.exact_rules_ = r->PodVector<uint32_t>();
  lm.lower_keys_ = r->PodVector<uint64_t>();
  lm.lower_rules_ = r->PodVector<uint32_t>();
  DYAD_RETURN_IF_ERROR(r->status());
  auto model = ml::LinearModel::Parse(r);
  if (!model.ok()) return model.status().With("lemmatizer");
  lm.model_ = std::move(model).value();
  if (lm.exact_keys_.size() != lm.exact_rules_.size() ||
      lm.lower_keys_.size() != lm.lower_rules_.size())
    return Status::Error("lemmatizer: dictionary sizes disagree");
  for (uint32_t id : lm.exact_rules_)
    if (id >= lm.rules_.size()) return Status::Error("lemmatizer: rule id out of range");
  for (uint32_t id : lm.lower_rules_)
    if (id >= lm.rules_.size()) return Status::Error("lemmatizer: rule id out of range");
  if (static_cast<size_t>(lm.model_.num_classes()) > lm.rules_.size())
    return Status::Error("lemmatizer: more classifier classes than rules");
  lm.BuildIndex();
  return lm;
}

}  // namespace dyad::nlp::internal
