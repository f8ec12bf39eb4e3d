// The declaration in include/FuzzDriver.h is all this target provides; the definition is
// libFuzzer's. This file exists because SwiftPM wants a source file in every C target.
#include "FuzzDriver.h"
