// CAMEO actor codes -> the ids of world-atlas's countries (ISO 3166-1 numeric, as strings
// of three digits), for the map.
//
// A CAMEO country code is the first three letters of an actor code ("IRNMIL" -> "IRN") and is
// mostly ISO 3166-1 alpha-3, with quirks: codes for states that no longer exist (the Soviet
// Union, East Germany, Yugoslavia), older CAMEO spellings (ROM for Romania, ZAR for the Congo,
// TMP for East Timor), Kosovo as KSV (the World Bank's code; Kosovo has no ISO code and no id
// in world-atlas, so it is found by name) and the Palestinian territories split in two.
// Regions and organisations (AFR, EUR, IGO, NGO, ...) have no place on the map.
import iso from "iso-3166-1";

const QUIRKS = {
  ROM: "642", ZAR: "180", TMP: "626", SUN: "643", DDR: "276", YUG: "688", SCG: "688",
  SRB: "688", WSB: "275", GZS: "275", PSE: "275", ESH: "732",
};
// Features world-atlas draws without an id.
export const BY_NAME = { KSV: "Kosovo", KOS: "Kosovo" };

const numeric = new Map();
for (const c of iso.all()) numeric.set(c.alpha3, c.numeric);

// The map key of a CAMEO country code: a numeric id, "name:<feature name>", or "".
export function mapKey(code) {
  const c = (code || "").slice(0, 3).toUpperCase();
  if (QUIRKS[c]) return QUIRKS[c];
  if (BY_NAME[c]) return "name:" + BY_NAME[c];
  return numeric.get(c) || "";
}

// The key of a world-atlas feature, comparable with mapKey().
export function featureKey(f) {
  return f.id ? String(f.id).padStart(3, "0") : "name:" + (f.properties && f.properties.name);
}

// The country name for a CAMEO code, for labels ("" when unknown).
export function countryName(code) {
  const c = (code || "").slice(0, 3).toUpperCase();
  const hit = iso.whereAlpha3(c);
  if (hit) return hit.country;
  return { KSV: "Kosovo", SUN: "Soviet Union", DDR: "East Germany", YUG: "Yugoslavia",
    ROM: "Romania", ZAR: "Congo (Kinshasa)", TMP: "East Timor", WSB: "West Bank",
    GZS: "Gaza Strip" }[c] || "";
}
