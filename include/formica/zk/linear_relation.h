#pragma once
// The statement of a sigma protocol: the preimage of a linear map over a prime-order group,
// as draft-irtf-cfrg-sigma-protocols-03 §2 represents it (sparse equations over indexed group
// elements, element 0 being the generator), with the draft's instance validation (§2.5) and
// serialization (§2.6). Knowledge of a discrete log, of a Pedersen opening, equality of
// committed values, and any other linear relation are all instances of this one type; AND
// composition is concatenation (and_compose).

#include <cstdint>
#include <span>
#include <vector>

#include "formica/base/bytes.h"
#include "formica/base/status.h"
#include "formica/zk/group.h"
#include "formica/zk/p256.h"
#include "formica/zk/ristretto255.h"

namespace formica::zk {

template <PrimeOrderGroup G>
class LinearRelation {
 public:
  using Scalar = typename G::Scalar;
  using Point = typename G::Point;

  struct ImageTerm {
    std::uint32_t element;
    Scalar coeff;
  };
  struct Term {
    std::uint32_t scalar;
    std::uint32_t element;
    Scalar coeff;
  };
  struct Equation {
    std::vector<ImageTerm> image;  // left-hand side: sum coeff * elements[element]
    std::vector<Term> terms;       // right-hand side: sum coeff * witness[scalar] * elements[element]
  };

  LinearRelation();  // elements() == {generator}

  // Registers a group element and returns its index (the generator is index 0).
  std::uint32_t add_element(const Point& p);
  void add_equation(Equation eq) { equations_.push_back(std::move(eq)); }

  const std::vector<Point>& elements() const { return elements_; }
  const std::vector<Equation>& equations() const { return equations_; }
  std::size_t num_scalars() const;

  // The ten checks of sigma-protocols-03 §2.5; kVerificationFailed with the failing rule.
  Status validate() const;

  // SerializeLinearRelation (§2.6): the instance encoding absorbed into the transcript.
  Bytes serialize() const;
  // Strict inverse of serialize(): every byte consumed, indices in range, canonical scalars
  // and points. Does not run validate().
  static Result<LinearRelation> deserialize(ByteView bytes);

  // map(instance, scalars): variable-time (public scalars: verifier, simulator).
  std::vector<Point> map(std::span<const Scalar> scalars) const;
  // map(instance, scalars) in constant time in the scalars (prover nonces).
  std::vector<Point> map_secret(std::span<const Scalar> scalars) const;
  // image(instance): each equation's left-hand side.
  std::vector<Point> image() const;

  // AND composition: b's scalars and elements are renamed apart (shifted after a's); the
  // generator is shared. The witness of the result is a's witness followed by b's.
  static LinearRelation and_compose(const LinearRelation& a, const LinearRelation& b);

 private:
  std::vector<Point> elements_;
  std::vector<Equation> equations_;
};

// Ready-made statements (the relations of the draft's examples).
template <PrimeOrderGroup G>
struct Relations {
  using Point = typename G::Point;
  // X = x * G.                          witness: x
  static LinearRelation<G> dlog(const Point& x);
  // X = x * G, Y = x * H.               witness: x
  static LinearRelation<G> dleq(const Point& h, const Point& x, const Point& y);
  // C = m * G + r * H.                  witness: m, r
  static LinearRelation<G> pedersen_opening(const Point& h, const Point& c);
  // C1 = m * G + r1 * H, C2 = m * G + r2 * H.   witness: m, r1, r2
  static LinearRelation<G> equal_commitments(const Point& h, const Point& c1, const Point& c2);
};

// Instantiated for both groups in linear_relation.cpp.
extern template class LinearRelation<Ristretto255>;
extern template class LinearRelation<P256>;
extern template struct Relations<Ristretto255>;
extern template struct Relations<P256>;

}  // namespace formica::zk
