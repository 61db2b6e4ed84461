// Query parameters of the HTTP API -> store queries, checked strictly: an unknown or repeated
// parameter, or a value outside its grammar, is an error that names the parameter and says
// what it accepts (the server answers 400 with it). Values are checked against their grammar
// (actor codes are letters, digits and '-'; codes are digits; dates YYYY-MM-DD) before they
// reach the store, which binds them as SQL parameters anyway.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "dyad/status.h"
#include "dyad/store.h"

namespace dyad::server {

// As httplib::Params: name -> value, repeated names kept.
using Params = std::multimap<std::string, std::string>;

struct ParamLimits {
  int max_page = 1000;
  int max_top = 50;
};

struct EventsQuery {
  store::Filter filter;
  bool count = false;  // also compute the total
};

struct SeriesQuery {
  store::Filter filter;
  store::SeriesOptions options;
};

// GET /api/events.
Result<EventsQuery> ParseEventsQuery(const Params& params, const ParamLimits& limits);
// GET /api/series.
Result<SeriesQuery> ParseSeriesQuery(const Params& params, const ParamLimits& limits);
// GET /api/countries.
Result<store::Filter> ParseCountriesQuery(const Params& params);
// An event id in a path: decimal digits, 1..2^63-1.
Result<int64_t> ParseEventId(std::string_view text);
// A date as the API takes it: YYYY-MM-DD (a real calendar date).
bool IsIsoDate(std::string_view s);

}  // namespace dyad::server
