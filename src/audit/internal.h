#pragma once

// Shared by audit.cc and checkpoint.cc.

#include <cstdint>
#include <string>

#include "audit/audit.h"

namespace accredit::audit::internal {

// Checks the chain from record `first_seq`, whose predecessor's hash is `running_prev` (raw
// bytes; 32 zero bytes before record 1), to the head, filling `report` (records, first bad,
// reason). With `checkpoint`, also checks its head hash at its size and that the log is not
// shorter. Errors: the store's.
Status ScanChain(store::Connection& conn, std::int64_t first_seq, std::string running_prev,
                 const Checkpoint* checkpoint, VerifyReport& report);

// The log checked only from a verified checkpoint on: record checkpoint.size must hold the
// checkpoint's head hash, and every later record must chain to it. What the full check would
// add (records up to the checkpoint) was vouched for when the checkpoint was signed; taking the
// next checkpoint costs the records since the last, not the whole log. REQUIRES: the
// checkpoint's signature was verified.
Result<VerifyReport> VerifyTail(store::Connection& conn, const Checkpoint& checkpoint);

}  // namespace accredit::audit::internal
