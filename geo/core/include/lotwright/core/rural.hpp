#pragma once
// The one rural classifier (docs/tender.md "Rural"), used by the tender packs; metrics should
// call it too so that LotMetrics::rural_hours and the schedule's rural share agree.
#include <string_view>

namespace lotwright::geo {

// Rural: ONS RUC2011 codes D1, D2, E1, E2, F1, F2 (rural town and fringe, village, hamlets and
// isolated dwellings, sparse or not); mySociety's composite ukruc "1" / "2" (rural / highly
// rural); an RUC2011 name ("Rural village", ...) containing "rural" but not "urban".
// Case and surrounding blanks are ignored. Everything else, "" included, is not rural.
bool is_rural_class(std::string_view cls);

}  // namespace lotwright::geo
