#include "formica/base/bytes.h"

#include <cstring>

namespace formica::base {

void secure_zero(void* data, std::size_t size) {
  if (size == 0) return;
  // explicit_bzero (glibc) is guaranteed not to be optimised away; base links no crypto
  // library, so it does not use sodium_memzero here.
  explicit_bzero(data, size);
}

}  // namespace formica::base
