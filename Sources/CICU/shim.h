// Link flags for ICU. Swift code never imports this module directly: Foundation carries a private
// copy of ICU's C declarations, so all ICU calls go through the ICUFacade C target.
#include <unicode/utypes.h>
