#pragma once
// Umbrella header: the canonical binary encoding, the JSON mapping and domain-separated hashes.
// Include the narrower headers (binary.h, json.h, hash.h) when only one is needed.

#include "formica/codec/binary.h"  // IWYU pragma: export
#include "formica/codec/fields.h"  // IWYU pragma: export
#include "formica/codec/hash.h"    // IWYU pragma: export
#include "formica/codec/json.h"    // IWYU pragma: export
