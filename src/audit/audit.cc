#include "audit/audit.h"
