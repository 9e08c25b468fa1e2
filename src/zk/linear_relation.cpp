#include "formica/zk/linear_relation.h"

#include <algorithm>
#include <string>

#include "formica/zk/msm.h"

namespace formica::zk {
namespace {

void put_le32(Bytes& out, std::size_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

class Reader {
 public:
  explicit Reader(ByteView b) : b_(b) {}
  bool le32(std::uint32_t& v) {
    if (b_.size() < 4) return false;
    v = static_cast<std::uint32_t>(b_[0]) | static_cast<std::uint32_t>(b_[1]) << 8 |
        static_cast<std::uint32_t>(b_[2]) << 16 | static_cast<std::uint32_t>(b_[3]) << 24;
    b_ = b_.subspan(4);
    return true;
  }
  bool take(std::size_t n, ByteView& out) {
    if (b_.size() < n) return false;
    out = b_.first(n);
    b_ = b_.subspan(n);
    return true;
  }
  std::size_t left() const { return b_.size(); }

 private:
  ByteView b_;
};

Error fail(const std::string& why) {
  return make_error(ErrorCode::kVerificationFailed, "invalid instance: " + why);
}
Error malformed(const std::string& why) {
  return make_error(ErrorCode::kMalformed, "instance encoding: " + why);
}

}  // namespace

template <PrimeOrderGroup G>
LinearRelation<G>::LinearRelation() : elements_{Point::generator()} {}

template <PrimeOrderGroup G>
std::uint32_t LinearRelation<G>::add_element(const Point& p) {
  elements_.push_back(p);
  return static_cast<std::uint32_t>(elements_.size() - 1);
}

template <PrimeOrderGroup G>
std::size_t LinearRelation<G>::num_scalars() const {
  std::size_t n = 0;
  for (const auto& eq : equations_) {
    for (const auto& t : eq.terms) n = std::max<std::size_t>(n, std::size_t{t.scalar} + 1);
  }
  return n;
}

template <PrimeOrderGroup G>
Status LinearRelation<G>::validate() const {
  if (equations_.empty()) return fail("no equation");                // 1
  if (elements_.empty() || !(elements_[0] == Point::generator())) {  // 7
    return fail("element 0 is not the generator");
  }
  const std::size_t n_el = elements_.size();
  const std::size_t n_sc = num_scalars();
  std::size_t total_terms = 0;
  for (const auto& eq : equations_) total_terms += eq.terms.size();
  // More scalar indices than terms means some index is unused (6); checked before allocating.
  if (n_sc > total_terms) return fail("unused scalar index");
  std::vector<char> el_used(n_el, 0), sc_used(n_sc, 0);
  for (const auto& eq : equations_) {
    if (eq.image.empty() || eq.terms.empty()) return fail("empty equation side");  // 2
    for (const auto& t : eq.image) {
      if (t.element >= n_el) return fail("element index out of range");  // 3, 4
      el_used[t.element] = 1;
    }
    for (const auto& t : eq.terms) {
      if (t.element >= n_el) return fail("element index out of range");
      el_used[t.element] = 1;
      sc_used[t.scalar] = 1;
    }
  }
  for (std::size_t i = 1; i < n_el; ++i) {
    if (!el_used[i]) return fail("unused element " + std::to_string(i));  // 5
  }
  for (std::size_t i = 0; i < n_sc; ++i) {
    if (!sc_used[i]) return fail("unused scalar " + std::to_string(i));  // 6
  }
  for (const auto& p : elements_) {
    if (p.is_identity()) return fail("identity element");  // 8
  }
  for (const auto& p : image()) {
    if (p.is_identity()) return fail("identity image");  // 9
  }
  for (std::size_t s = 0; s < n_sc; ++s) {  // 10
    bool nonzero = false;
    for (const auto& eq : equations_) {
      Point col;
      for (const auto& t : eq.terms) {
        if (t.scalar == s) col += elements_[t.element] * t.coeff;
      }
      if (!col.is_identity()) nonzero = true;
    }
    if (!nonzero) return fail("identity column for scalar " + std::to_string(s));
  }
  return ok_status();
}

template <PrimeOrderGroup G>
Bytes LinearRelation<G>::serialize() const {
  Bytes out;
  put_le32(out, equations_.size());
  for (const auto& eq : equations_) {
    put_le32(out, eq.image.size());
    for (const auto& t : eq.image) {
      put_le32(out, t.element);
      base::append(out, t.coeff.encode());
    }
    put_le32(out, eq.terms.size());
    for (const auto& t : eq.terms) {
      put_le32(out, t.scalar);
      put_le32(out, t.element);
      base::append(out, t.coeff.encode());
    }
  }
  for (std::size_t i = 1; i < elements_.size(); ++i) base::append(out, elements_[i].encode());
  return out;
}

template <PrimeOrderGroup G>
Result<LinearRelation<G>> LinearRelation<G>::deserialize(ByteView bytes) {
  Reader r(bytes);
  LinearRelation rel;
  std::uint32_t n_eq = 0;
  if (!r.le32(n_eq)) return malformed("truncated");
  std::uint32_t max_element = 0;
  for (std::uint32_t e = 0; e < n_eq; ++e) {
    // Each equation needs at least 8 bytes: bound the loop by the input, not by the header.
    if (r.left() < 8) return malformed("truncated equation");
    Equation eq;
    std::uint32_t n_img = 0, n_terms = 0;
    if (!r.le32(n_img)) return malformed("truncated");
    if (std::size_t{n_img} * (4 + G::kScalarBytes) > r.left()) return malformed("truncated image terms");
    for (std::uint32_t i = 0; i < n_img; ++i) {
      std::uint32_t el = 0;
      ByteView c;
      if (!r.le32(el) || !r.take(G::kScalarBytes, c)) return malformed("truncated image term");
      FORMICA_ASSIGN_OR_RETURN(Scalar coeff, Scalar::decode(c));
      eq.image.push_back({el, coeff});
      max_element = std::max(max_element, el);
    }
    if (!r.le32(n_terms)) return malformed("truncated");
    if (std::size_t{n_terms} * (8 + G::kScalarBytes) > r.left()) return malformed("truncated terms");
    for (std::uint32_t i = 0; i < n_terms; ++i) {
      std::uint32_t sc = 0, el = 0;
      ByteView c;
      if (!r.le32(sc) || !r.le32(el) || !r.take(G::kScalarBytes, c)) return malformed("truncated term");
      FORMICA_ASSIGN_OR_RETURN(Scalar coeff, Scalar::decode(c));
      eq.terms.push_back({sc, el, coeff});
      max_element = std::max(max_element, el);
    }
    rel.equations_.push_back(std::move(eq));
  }
  if (r.left() % G::kPointBytes != 0 || r.left() / G::kPointBytes != max_element) {
    return malformed("element count does not match the largest index");
  }
  for (std::uint32_t i = 0; i < max_element; ++i) {
    ByteView p;
    if (!r.take(G::kPointBytes, p)) return malformed("truncated element");
    FORMICA_ASSIGN_OR_RETURN(Point pt, Point::decode(p));
    rel.elements_.push_back(pt);
  }
  return rel;
}

template <PrimeOrderGroup G>
std::vector<typename G::Point> LinearRelation<G>::map(std::span<const Scalar> scalars) const {
  std::vector<Point> out;
  for (const auto& eq : equations_) {
    std::vector<Scalar> s;
    std::vector<Point> p;
    for (const auto& t : eq.terms) {
      s.push_back(t.coeff * scalars[t.scalar]);
      p.push_back(elements_[t.element]);
    }
    out.push_back(msm_vartime<G>(s, p));
  }
  return out;
}

template <PrimeOrderGroup G>
std::vector<typename G::Point> LinearRelation<G>::map_secret(std::span<const Scalar> scalars) const {
  std::vector<Point> out;
  for (const auto& eq : equations_) {
    std::vector<Scalar> s;
    std::vector<Point> p;
    for (const auto& t : eq.terms) {
      s.push_back(t.coeff * scalars[t.scalar]);
      p.push_back(elements_[t.element]);
    }
    out.push_back(msm_straus_ct<G>(s, p));
  }
  return out;
}

template <PrimeOrderGroup G>
std::vector<typename G::Point> LinearRelation<G>::image() const {
  std::vector<Point> out;
  for (const auto& eq : equations_) {
    std::vector<Scalar> s;
    std::vector<Point> p;
    for (const auto& t : eq.image) {
      s.push_back(t.coeff);
      p.push_back(elements_[t.element]);
    }
    out.push_back(msm_vartime<G>(s, p));
  }
  return out;
}

template <PrimeOrderGroup G>
LinearRelation<G> LinearRelation<G>::and_compose(const LinearRelation& a, const LinearRelation& b) {
  LinearRelation out = a;
  const auto el_shift = static_cast<std::uint32_t>(a.elements_.size() - 1);
  const auto sc_shift = static_cast<std::uint32_t>(a.num_scalars());
  auto el = [&](std::uint32_t i) { return i == 0 ? 0 : i + el_shift; };
  for (std::size_t i = 1; i < b.elements_.size(); ++i) out.elements_.push_back(b.elements_[i]);
  for (const auto& eq : b.equations_) {
    Equation e;
    for (const auto& t : eq.image) e.image.push_back({el(t.element), t.coeff});
    for (const auto& t : eq.terms) e.terms.push_back({t.scalar + sc_shift, el(t.element), t.coeff});
    out.equations_.push_back(std::move(e));
  }
  return out;
}

template <PrimeOrderGroup G>
LinearRelation<G> Relations<G>::dlog(const Point& x) {
  using S = typename G::Scalar;
  LinearRelation<G> r;
  const auto ix = r.add_element(x);
  r.add_equation({{{ix, S::from_u64(1)}}, {{0, 0, S::from_u64(1)}}});
  return r;
}

template <PrimeOrderGroup G>
LinearRelation<G> Relations<G>::dleq(const Point& h, const Point& x, const Point& y) {
  using S = typename G::Scalar;
  LinearRelation<G> r;
  const auto ih = r.add_element(h), ix = r.add_element(x), iy = r.add_element(y);
  r.add_equation({{{ix, S::from_u64(1)}}, {{0, 0, S::from_u64(1)}}});
  r.add_equation({{{iy, S::from_u64(1)}}, {{0, ih, S::from_u64(1)}}});
  return r;
}

template <PrimeOrderGroup G>
LinearRelation<G> Relations<G>::pedersen_opening(const Point& h, const Point& c) {
  using S = typename G::Scalar;
  LinearRelation<G> r;
  const auto ih = r.add_element(h), ic = r.add_element(c);
  r.add_equation({{{ic, S::from_u64(1)}}, {{0, 0, S::from_u64(1)}, {1, ih, S::from_u64(1)}}});
  return r;
}

template <PrimeOrderGroup G>
LinearRelation<G> Relations<G>::equal_commitments(const Point& h, const Point& c1, const Point& c2) {
  using S = typename G::Scalar;
  LinearRelation<G> r;
  const auto ih = r.add_element(h), i1 = r.add_element(c1), i2 = r.add_element(c2);
  r.add_equation({{{i1, S::from_u64(1)}}, {{0, 0, S::from_u64(1)}, {1, ih, S::from_u64(1)}}});
  r.add_equation({{{i2, S::from_u64(1)}}, {{0, 0, S::from_u64(1)}, {2, ih, S::from_u64(1)}}});
  return r;
}

template class LinearRelation<Ristretto255>;
template class LinearRelation<P256>;
template struct Relations<Ristretto255>;
template struct Relations<P256>;

}  // namespace formica::zk
