#include "core/status.h"

#include <cstdio>
#include <cstdlib>

namespace accredit {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return "ok";
    case ErrorCode::kInvalidArgument:
      return "invalid_argument";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kAlreadyExists:
      return "already_exists";
    case ErrorCode::kFailedPrecondition:
      return "failed_precondition";
    case ErrorCode::kPermissionDenied:
      return "permission_denied";
    case ErrorCode::kUnauthenticated:
      return "unauthenticated";
    case ErrorCode::kResourceExhausted:
      return "resource_exhausted";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kDataLoss:
      return "data_loss";
    case ErrorCode::kInternal:
      return "internal";
  }
  return "internal";
}

int HttpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return 200;
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kAlreadyExists:
      return 409;
    case ErrorCode::kFailedPrecondition:
      return 409;
    case ErrorCode::kPermissionDenied:
      return 403;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kResourceExhausted:
      return 429;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kDataLoss:
      return 500;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

int ExitCodeFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return 0;
    case ErrorCode::kInvalidArgument:
      return 2;
    case ErrorCode::kNotFound:
      return 3;
    case ErrorCode::kAlreadyExists:
      return 4;
    case ErrorCode::kFailedPrecondition:
      return 5;
    case ErrorCode::kPermissionDenied:
      return 6;
    case ErrorCode::kUnauthenticated:
      return 6;
    case ErrorCode::kResourceExhausted:
      return 7;
    case ErrorCode::kUnavailable:
      return 8;
    case ErrorCode::kDataLoss:
      return 9;
    case ErrorCode::kInternal:
      return 10;
  }
  return 10;
}

std::string Status::ToString() const {
  if (ok()) {
    return "ok";
  }
  std::string out(ErrorCodeName(error_->code));
  out += ": ";
  if (!error_->field.empty()) {
    out += error_->field;
    out += ": ";
  }
  out += error_->message;
  return out;
}

namespace internal {
void CheckFailed(const char* cond, const char* msg, const char* file, int line) {
  std::fprintf(stderr, "ACC_CHECK failed at %s:%d: %s (%s)\n", file, line, cond, msg);
  std::abort();
}
}  // namespace internal

}  // namespace accredit
