#pragma once
// Pedersen commitments C = v * B + r * B_blinding. B is the group generator; B_blinding is
// hashed to the group (nobody knows its discrete log to B). commit() is constant-time in v
// and r (libdecaf's precomputed base table for B, our FixedBaseTable for B_blinding).

#include <string>

#include "formica/zk/group.h"
#include "formica/zk/msm.h"

namespace formica::zk {

template <PrimeOrderGroup G>
class PedersenGens {
 public:
  using Scalar = typename G::Scalar;
  using Point = typename G::Point;

  // B_blinding = hash_to_group("B_blinding", "FORMICA-V01-pedersen-<group>").
  PedersenGens() : blinding_(derive_blinding()), table_(blinding_) {}

  const Point& base() const { return base_; }
  const Point& blinding() const { return blinding_; }
  Point commit(const Scalar& value, const Scalar& blind) const {
    return Point::mul_base(value) + table_.mul(blind);
  }
  // blind * B_blinding, constant-time.
  Point mul_blinding(const Scalar& blind) const { return table_.mul(blind); }

 private:
  static Point derive_blinding() {
    std::string dst = "FORMICA-V01-pedersen-";
    dst += G::kName;
    return Point::hash_to_group(as_bytes("B_blinding"), as_bytes(dst));
  }
  Point base_ = Point::generator();
  Point blinding_;
  FixedBaseTable<G> table_;
};

}  // namespace formica::zk
