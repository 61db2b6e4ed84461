// The US states and the District of Columbia: name, USPS code (GeoNames' admin-1 code for the
// United States) and the abbreviation news datelines use ("LONG BEACH, Calif."). Facts.
// Internal to src/geo.
#pragma once

#include <string_view>

namespace dyad::geo {

struct UsStateName {
  std::string_view name, code, abbrev;
};

// clang-format off
inline constexpr UsStateName kUsStates[] = {
    {"Alabama", "AL", "Ala."},         {"Alaska", "AK", "Alaska"},
    {"Arizona", "AZ", "Ariz."},        {"Arkansas", "AR", "Ark."},
    {"California", "CA", "Calif."},    {"Colorado", "CO", "Colo."},
    {"Connecticut", "CT", "Conn."},    {"Delaware", "DE", "Del."},
    {"District of Columbia", "DC", "D.C."}, {"Florida", "FL", "Fla."},
    {"Georgia", "GA", "Ga."},          {"Hawaii", "HI", "Hawaii"},
    {"Idaho", "ID", "Idaho"},          {"Illinois", "IL", "Ill."},
    {"Indiana", "IN", "Ind."},         {"Iowa", "IA", "Iowa"},
    {"Kansas", "KS", "Kan."},          {"Kentucky", "KY", "Ky."},
    {"Louisiana", "LA", "La."},        {"Maine", "ME", "Maine"},
    {"Maryland", "MD", "Md."},         {"Massachusetts", "MA", "Mass."},
    {"Michigan", "MI", "Mich."},       {"Minnesota", "MN", "Minn."},
    {"Mississippi", "MS", "Miss."},    {"Missouri", "MO", "Mo."},
    {"Montana", "MT", "Mont."},        {"Nebraska", "NE", "Neb."},
    {"Nevada", "NV", "Nev."},          {"New Hampshire", "NH", "N.H."},
    {"New Jersey", "NJ", "N.J."},      {"New Mexico", "NM", "N.M."},
    {"New York", "NY", "N.Y."},        {"North Carolina", "NC", "N.C."},
    {"North Dakota", "ND", "N.D."},    {"Ohio", "OH", "Ohio"},
    {"Oklahoma", "OK", "Okla."},       {"Oregon", "OR", "Ore."},
    {"Pennsylvania", "PA", "Pa."},     {"Rhode Island", "RI", "R.I."},
    {"South Carolina", "SC", "S.C."},  {"South Dakota", "SD", "S.D."},
    {"Tennessee", "TN", "Tenn."},      {"Texas", "TX", "Texas"},
    {"Utah", "UT", "Utah"},            {"Vermont", "VT", "Vt."},
    {"Virginia", "VA", "Va."},         {"Washington", "WA", "Wash."},
    {"West Virginia", "WV", "W.Va."},  {"Wisconsin", "WI", "Wis."},
    {"Wyoming", "WY", "Wyo."},
};
// clang-format on
static_assert(std::size(kUsStates) == 51);

}  // namespace dyad::geo
