#include "registers/registers.h"
