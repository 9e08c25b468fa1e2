// Formica Universal ID credentials (see credential.h): U-Prove on ristretto255 + Bulletproofs.
#include "formica/zk/credential.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <set>

#include "formica/crypto/hash.h"
#include "formica/zk/bulletproofs.h"
#include "formica/zk/pedersen.h"
#include "range_proof_internal.h"

namespace formica::zk::cred {
namespace {

constexpr std::string_view kDst = "FORMICA-V01-uprove-ristretto255";
constexpr std::uint8_t kVersion = 1;

Error malformed(std::string why) { return make_error(ErrorCode::kMalformed, std::move(why)); }
Error rejected(std::string why) { return make_error(ErrorCode::kVerificationFailed, std::move(why)); }
Error invalid(std::string why) { return make_error(ErrorCode::kInvalidArgument, std::move(why)); }

// ---- a small strict binary writer/reader (big-endian, length-prefixed) ----

class Writer {
 public:
  void u8(std::uint8_t v) { out_.push_back(v); }
  void u16(std::uint16_t v) {
    u8(static_cast<std::uint8_t>(v >> 8));
    u8(static_cast<std::uint8_t>(v));
  }
  void u32(std::uint32_t v) {
    u16(static_cast<std::uint16_t>(v >> 16));
    u16(static_cast<std::uint16_t>(v));
  }
  void u64(std::uint64_t v) {
    u32(static_cast<std::uint32_t>(v >> 32));
    u32(static_cast<std::uint32_t>(v));
  }
  void raw(ByteView b) { base::append(out_, b); }
  void bytes8(ByteView b) {  // callers keep b under 256 bytes
    u8(static_cast<std::uint8_t>(b.size()));
    raw(b);
  }
  void bytes16(ByteView b) {
    u16(static_cast<std::uint16_t>(b.size()));
    raw(b);
  }
  void str8(std::string_view s) { bytes8(as_bytes(s)); }
  void point(const Point& p) { raw(p.encode()); }
  void scalar(const Scalar& s) {
    auto e = s.encode();
    raw(e);
    secure_zero(e.data(), e.size());
  }
  Bytes take() { return std::move(out_); }

 private:
  Bytes out_;
};

class Reader {
 public:
  explicit Reader(ByteView in) : in_(in) {}
  bool ok() const { return ok_; }
  bool done() const { return ok_ && pos_ == in_.size(); }
  ByteView take(std::size_t n) {
    if (!ok_ || in_.size() - pos_ < n) {
      ok_ = false;
      return {};
    }
    auto v = in_.subspan(pos_, n);
    pos_ += n;
    return v;
  }
  std::uint64_t be(std::size_t n) {
    auto b = take(n);
    std::uint64_t v = 0;
    for (auto x : b) v = (v << 8) | x;
    return v;
  }
  std::uint8_t u8() { return static_cast<std::uint8_t>(be(1)); }
  std::uint16_t u16() { return static_cast<std::uint16_t>(be(2)); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(be(4)); }
  std::uint64_t u64() { return be(8); }
  Bytes bytes8() {
    auto n = u8();
    return to_bytes(take(n));
  }
  Bytes bytes16() {
    auto n = u16();
    return to_bytes(take(n));
  }
  std::string str8() {
    auto b = bytes8();
    return std::string(b.begin(), b.end());
  }
  Point point() {
    auto b = take(32);
    if (!ok_) return Point();
    auto p = Point::decode(b);
    if (!p.ok()) {
      ok_ = false;
      return Point();
    }
    return *p;
  }
  Scalar scalar() {
    auto b = take(32);
    if (!ok_) return Scalar();
    auto s = Scalar::decode(b);
    if (!s.ok()) {
      ok_ = false;
      return Scalar();
    }
    return *s;
  }
  void fail() { ok_ = false; }

 private:
  ByteView in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

// Shared generators: g1..g16, gt hashed to ristretto255; Pedersen and Bulletproof gens.
struct Gens {
  std::vector<Point> g;  // g[1..kMaxAttributes]; g[0] unused
  Point gt;
  PedersenGens<G> pc;
  BulletproofGens<G> bp{128};
  Gens() {
    g.resize(kMaxAttributes + 1);
    for (std::size_t i = 1; i <= kMaxAttributes; ++i)
      g[i] = Point::hash_to_group(as_bytes("g" + std::to_string(i)), as_bytes(kDst));
    gt = Point::hash_to_group(as_bytes("gt"), as_bytes(kDst));
  }
};
const Gens& gens() {
  static const Gens g;
  return g;
}

Bytes schema_bytes(const std::string& id, const std::vector<AttrDef>& attrs) {
  Writer w;
  w.raw(as_bytes("FORMICA-ID-SCHEMA-V1"));
  w.str8(id);
  w.u8(static_cast<std::uint8_t>(attrs.size()));
  for (const auto& a : attrs) {
    w.str8(a.name);
    w.u8(static_cast<std::uint8_t>(a.type));
  }
  return w.take();
}

bool valid_name(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

Status build_params(IssuerPublic& ip, const Point& g0) {
  if (!valid_name(ip.issuer_id) && !(ip.issuer_id.size() <= 64 && !ip.issuer_id.empty()))
    return invalid("issuer id must be 1..64 characters");
  for (char c : ip.issuer_id)
    if (static_cast<unsigned char>(c) < 0x21 || static_cast<unsigned char>(c) > 0x7e)
      return invalid("issuer id must be printable ASCII");
  if (ip.attrs.empty() || ip.attrs.size() > kMaxAttributes) return invalid("1..16 attributes");
  std::set<std::string> seen;
  for (const auto& a : ip.attrs) {
    if (!valid_name(a.name)) return invalid("attribute names are 1..32 of [a-z0-9_]: " + a.name);
    if (!seen.insert(a.name).second) return invalid("duplicate attribute " + a.name);
    if (a.type != AttrType::kDate && a.type != AttrType::kInt && a.type != AttrType::kString &&
        a.type != AttrType::kAuto)
      return invalid("unknown attribute type");
  }
  auto& p = ip.params;
  p.uid_p = to_bytes("formica-id/v1/" + ip.issuer_id);
  p.g = {g0};
  p.e.clear();
  for (std::size_t i = 1; i <= ip.attrs.size(); ++i) {
    p.g.push_back(gens().g[i]);
    p.e.push_back(ip.attrs[i - 1].type == AttrType::kString ? 1 : 0);
  }
  p.gt = gens().gt;
  p.spec = schema_bytes(ip.issuer_id, ip.attrs);
  return p.validate();
}

Bytes be_minimal(std::uint64_t v) {
  Bytes out;
  for (int i = 7; i >= 0; --i) {
    auto b = static_cast<std::uint8_t>(v >> (8 * i));
    if (!out.empty() || b != 0 || i == 0) out.push_back(b);
  }
  return out;
}

Result<std::uint64_t> parse_u63(std::string_view s) {
  std::uint64_t v = 0;
  if (s.empty() || s.size() > 19) return invalid("not a non-negative integer: " + std::string(s));
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v >= (std::uint64_t{1} << 63))
    return invalid("not an integer in [0, 2^63): " + std::string(s));
  return v;
}

// The integer an attribute value stands for (dates: YYYYMMDD).
Result<std::uint64_t> attr_integer(AttrType t, std::string_view text) {
  if (t == AttrType::kDate) {
    FORMICA_ASSIGN_OR_RETURN(std::uint32_t d, parse_date(text));
    return std::uint64_t{d};
  }
  if (t == AttrType::kInt) return parse_u63(text);
  if (t == AttrType::kAuto) {
    // Only a canonical decimal (no sign, no leading zero) is an integer.
    if (text.empty() || (text.size() > 1 && text[0] == '0'))
      return invalid("not an integer: " + std::string(text));
    return parse_u63(text);
  }
  return invalid("not a date or integer attribute");
}

constexpr std::size_t kAutoStringBytes = 31;  // 0x01 || text (<= 30 bytes) || zero padding

Result<Bytes> auto_string_bytes(std::string_view text) {
  if (text.size() > kAutoStringBytes - 1)
    return invalid("longer than 30 bytes (declare the attribute :string)");
  if (text.find('\0') != std::string_view::npos) return invalid("contains a NUL byte");
  Bytes b(kAutoStringBytes, 0);
  b[0] = 1;
  std::copy(text.begin(), text.end(), b.begin() + 1);
  return b;
}

Result<std::int64_t> parse_bound(std::string_view s) {
  if (s.size() == 10 && s[4] == '-') {
    FORMICA_ASSIGN_OR_RETURN(std::uint32_t d, parse_date(s));
    return static_cast<std::int64_t>(d);
  }
  FORMICA_ASSIGN_OR_RETURN(std::uint64_t v, parse_u63(s));
  return static_cast<std::int64_t>(v);
}

std::string trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return std::string(s);
}

void write_token_core(Writer& w, const uprove::Token<G>& t) {
  w.point(t.h);
  w.point(t.sigma_z);
  w.scalar(t.sigma_c);
  w.scalar(t.sigma_r);
}
void read_token_core(Reader& r, uprove::Token<G>& t) {
  t.h = r.point();
  t.sigma_z = r.point();
  t.sigma_c = r.scalar();
  t.sigma_r = r.scalar();
}

void write_predicate(Writer& w, const Predicate& p) {
  w.u8(static_cast<std::uint8_t>(p.op));
  w.str8(p.attr);
  w.u64(static_cast<std::uint64_t>(p.a));
  w.u64(static_cast<std::uint64_t>(p.b));
}

Bytes message(const IssuerPublic& ip, const Challenge& ch, const std::vector<Predicate>& preds,
              const std::vector<std::uint32_t>& disclosed) {
  Writer w;
  w.raw(as_bytes("FORMICA-ID-PRESENTATION-V1"));
  w.raw(ip.fingerprint());
  w.str8(ch.verifier_id);
  w.bytes8(ch.nonce);
  w.u32(ch.today);
  w.u8(static_cast<std::uint8_t>(preds.size()));
  for (const auto& p : preds) write_predicate(w, p);
  w.u8(static_cast<std::uint8_t>(disclosed.size()));
  for (auto i : disclosed) w.u8(static_cast<std::uint8_t>(i));
  return w.take();
}

// The range statements of one predicate: (value offset sign, bound) pairs. A statement
// "x >= L" proves x - L in range with commitment C - L*B; "x <= U" proves U - x with U*B - C.
struct RangeStmt {
  bool upper;  // x <= bound
  std::int64_t bound;
};

Result<std::vector<RangeStmt>> statements(const Predicate& p, std::uint32_t today) {
  // Bounds are in [0, 2^63) (as parse_predicate makes them), so no difference below overflows.
  if (p.a < 0 || p.b < 0) return invalid("predicate bounds must be non-negative: " + p.to_string());
  switch (p.op) {
    case Predicate::Op::kAgeAtLeast: {
      if (p.a < 0 || p.a > 200) return invalid("age must be 0..200");
      const std::int64_t bound = static_cast<std::int64_t>(today) - p.a * 10000;
      return std::vector<RangeStmt>{{true, bound}};
    }
    case Predicate::Op::kAtLeast: return std::vector<RangeStmt>{{false, p.a}};
    case Predicate::Op::kAtMost: return std::vector<RangeStmt>{{true, p.a}};
    case Predicate::Op::kInRange:
      if (p.a > p.b) return invalid("empty interval in " + p.to_string());
      return std::vector<RangeStmt>{{false, p.a}, {true, p.b}};
  }
  return invalid("unknown predicate");
}

Scalar scalar_of(std::int64_t v) {
  // v >= 0 for every bound that reaches here (bounds are parsed as [0, 2^63)); the age bound
  // may be negative only for absurd dates, which the prover refuses and the verifier rejects.
  return v >= 0 ? Scalar::from_u64(static_cast<std::uint64_t>(v))
                : -Scalar::from_u64(static_cast<std::uint64_t>(-v));
}

Bytes range_context(ByteView m, ByteView token_id, std::size_t k) {
  Writer w;
  w.raw(as_bytes("FORMICA-ID-RANGE-V1"));
  w.raw(crypto::sha256(m));
  w.bytes8(token_id);
  w.u8(static_cast<std::uint8_t>(k));
  return w.take();
}

struct Shape {
  std::vector<std::size_t> disclosed;  // 1-based
  std::vector<std::size_t> committed;  // unique predicate attributes, ascending
  std::vector<std::size_t> pred_attr;  // per predicate, its attribute index
  std::vector<std::size_t> pred_bits;
};

Result<Shape> shape_of(const IssuerPublic& ip, const std::vector<Predicate>& preds,
                       const std::vector<std::uint32_t>& disclosed) {
  Shape s;
  if (preds.size() > kMaxPredicates) return invalid("too many predicates");
  std::uint32_t prev = 0;
  for (auto i : disclosed) {
    if (i == 0 || i > ip.attrs.size() || i <= prev) return invalid("bad disclosed attribute list");
    s.disclosed.push_back(i);
    prev = i;
  }
  std::set<std::size_t> c;
  for (const auto& p : preds) {
    auto idx = ip.index_of(p.attr);
    if (!idx) return invalid("the issuer's schema has no attribute " + p.attr);
    const AttrType t = ip.attrs[*idx - 1].type;
    if (t == AttrType::kString) return invalid("predicate on a string attribute: " + p.attr);
    // kAuto: an integer predicate; a string value can never satisfy it (see credential.h).
    if (p.op == Predicate::Op::kAgeAtLeast && t != AttrType::kDate)
      return invalid("age needs a date attribute");
    if (std::find(s.disclosed.begin(), s.disclosed.end(), *idx) != s.disclosed.end())
      return invalid("attribute both disclosed and in a predicate: " + p.attr);
    c.insert(*idx);
    s.pred_attr.push_back(*idx);
    s.pred_bits.push_back(t == AttrType::kDate ? 32 : 64);
  }
  s.committed.assign(c.begin(), c.end());
  return s;
}

std::string value_text(AttrType t, const std::optional<Bytes>& v) {
  if (!v) return "";
  if (t == AttrType::kString) return std::string(v->begin(), v->end());
  if (t == AttrType::kAuto && v->size() == kAutoStringBytes) {
    std::size_t end = v->size();
    while (end > 1 && (*v)[end - 1] == 0) --end;
    return std::string(v->begin() + 1, v->begin() + static_cast<std::ptrdiff_t>(end));
  }
  std::uint64_t x = 0;
  for (auto b : *v) x = (x << 8) | b;
  return t == AttrType::kDate ? format_date(static_cast<std::uint32_t>(x)) : std::to_string(x);
}

}  // namespace

// ---------------------------------------------------------------- small types

std::string_view attr_type_name(AttrType t) {
  switch (t) {
    case AttrType::kDate: return "date";
    case AttrType::kInt: return "int";
    case AttrType::kString: return "string";
    case AttrType::kAuto: return "int_or_string";
  }
  return "?";
}

Result<std::uint32_t> parse_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-')
    return invalid("not a YYYY-MM-DD date: " + std::string(s));
  auto num = [&](std::size_t pos, std::size_t len) -> int {
    int v = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return -1;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  const int y = num(0, 4), m = num(5, 2), d = num(8, 2);
  if (y < 1000 || m < 1 || m > 12 || d < 1) return invalid("not a YYYY-MM-DD date: " + std::string(s));
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  const int dim = kDays[m - 1] + (m == 2 && leap ? 1 : 0);
  if (d > dim) return invalid("no such day: " + std::string(s));
  return static_cast<std::uint32_t>(y * 10000 + m * 100 + d);
}

std::string format_date(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04u-%02u-%02u", v / 10000 % 10000, v / 100 % 100, v % 100);
  return buf;
}

Bytes TokenInfo::encode() const {
  Writer w;
  w.raw(as_bytes("FID-TI1"));
  w.u64(epoch);
  w.u32(expires);
  return w.take();
}

Result<TokenInfo> TokenInfo::decode(ByteView b) {
  Reader r(b);
  auto magic = r.take(7);
  TokenInfo t;
  t.epoch = r.u64();
  t.expires = r.u32();
  if (!r.done() || !std::equal(magic.begin(), magic.end(), as_bytes("FID-TI1").begin()))
    return malformed("token information field does not decode");
  return t;
}

std::optional<std::size_t> IssuerPublic::index_of(std::string_view name) const {
  for (std::size_t i = 0; i < attrs.size(); ++i)
    if (attrs[i].name == name) return i + 1;
  return std::nullopt;
}

Bytes IssuerPublic::encode() const {
  Writer w;
  w.raw(as_bytes("FID-IP1"));
  w.str8(issuer_id);
  w.u8(static_cast<std::uint8_t>(attrs.size()));
  for (const auto& a : attrs) {
    w.str8(a.name);
    w.u8(static_cast<std::uint8_t>(a.type));
  }
  w.point(params.g.empty() ? Point() : params.g[0]);
  return w.take();
}

Result<IssuerPublic> IssuerPublic::decode(ByteView b) {
  Reader r(b);
  auto magic = r.take(7);
  IssuerPublic ip;
  ip.issuer_id = r.str8();
  const std::size_t n = r.u8();
  if (n > kMaxAttributes) return malformed("issuer key: too many attributes");
  for (std::size_t i = 0; i < n && r.ok(); ++i) {
    AttrDef a;
    a.name = r.str8();
    a.type = static_cast<AttrType>(r.u8());
    ip.attrs.push_back(a);
  }
  Point g0 = r.point();
  if (!r.done() || !std::equal(magic.begin(), magic.end(), as_bytes("FID-IP1").begin()))
    return malformed("issuer public key does not decode");
  auto st = build_params(ip, g0);
  if (!st.ok()) return malformed("issuer public key: " + st.error().message);
  return ip;
}

ByteArray<32> IssuerPublic::fingerprint() const { return crypto::sha256(encode()); }

Bytes IssuerSecret::encode() const {
  Writer w;
  w.raw(as_bytes("FID-IS1"));
  w.bytes16(pub.encode());
  w.scalar(y0);
  return w.take();
}

Result<IssuerSecret> IssuerSecret::decode(ByteView b) {
  Reader r(b);
  auto magic = r.take(7);
  Bytes pub = r.bytes16();
  Scalar y0 = r.scalar();
  if (!r.done() || !std::equal(magic.begin(), magic.end(), as_bytes("FID-IS1").begin()))
    return malformed("issuer secret key does not decode");
  FORMICA_ASSIGN_OR_RETURN(IssuerPublic ip, IssuerPublic::decode(pub));
  if (!(Point::mul_base(y0) == ip.params.g[0]))
    return malformed("issuer secret key does not match its public key");
  return IssuerSecret{std::move(ip), y0};
}

Result<IssuerSecret> make_issuer(std::string issuer_id, std::vector<AttrDef> attrs) {
  IssuerSecret s;
  do {
    s.y0 = Scalar::random();
  } while (s.y0.is_zero());
  s.pub.issuer_id = std::move(issuer_id);
  s.pub.attrs = std::move(attrs);
  FORMICA_TRY(build_params(s.pub, Point::mul_base(s.y0)));
  return s;
}

Result<std::vector<std::optional<Bytes>>> encode_attributes(const IssuerPublic& ip,
                                                            const std::vector<std::string>& values) {
  if (values.size() != ip.attrs.size()) return invalid("expected one value per schema attribute");
  std::vector<std::optional<Bytes>> out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const auto t = ip.attrs[i].type;
    if (t == AttrType::kString) {
      if (values[i].size() > 255)
        return invalid("string attribute longer than 255 bytes: " + ip.attrs[i].name);
      out.push_back(to_bytes(values[i]));
    } else if (t == AttrType::kAuto && !attr_integer(t, values[i]).ok()) {
      auto b = auto_string_bytes(values[i]);
      if (!b.ok()) return invalid(ip.attrs[i].name + ": " + b.error().message);
      out.push_back(std::move(b).value());
    } else {
      auto v = attr_integer(t, values[i]);
      if (!v.ok()) return invalid(ip.attrs[i].name + ": " + v.error().message);
      out.push_back(be_minimal(*v));
    }
  }
  return out;
}

// ---------------------------------------------------------------- wallet

Wallet::~Wallet() {
  for (auto& v : values) secure_zero(v.data(), v.size());
}

Bytes Wallet::encode() const {
  Writer w;
  w.raw(as_bytes("FID-WL1"));
  w.bytes16(issuer.encode());
  w.u8(static_cast<std::uint8_t>(values.size()));
  for (const auto& v : values) w.str8(v);
  w.bytes8(ti.encode());
  w.u16(static_cast<std::uint16_t>(tokens.size()));
  for (const auto& t : tokens) {
    write_token_core(w, t.token);
    w.scalar(t.alpha_inv);
  }
  return w.take();
}

Result<Wallet> Wallet::decode(ByteView b) {
  Reader r(b);
  auto magic = r.take(7);
  Wallet wl;
  Bytes ip = r.bytes16();
  const std::size_t n = r.u8();
  for (std::size_t i = 0; i < n && r.ok(); ++i) wl.values.push_back(r.str8());
  Bytes ti = r.bytes8();
  const std::size_t k = r.u16();
  if (k > 4096) return malformed("wallet: too many tokens");
  for (std::size_t i = 0; i < k && r.ok(); ++i) {
    uprove::IssuedToken<G> t;
    read_token_core(r, t.token);
    t.alpha_inv = r.scalar();
    t.token.ti = ti;
    wl.tokens.push_back(std::move(t));
  }
  if (!r.done() || !std::equal(magic.begin(), magic.end(), as_bytes("FID-WL1").begin()))
    return malformed("wallet does not decode");
  FORMICA_ASSIGN_OR_RETURN(wl.issuer, IssuerPublic::decode(ip));
  FORMICA_ASSIGN_OR_RETURN(wl.ti, TokenInfo::decode(ti));
  if (wl.values.size() != wl.issuer.attrs.size())
    return malformed("wallet: value count does not match the schema");
  return wl;
}

// ---------------------------------------------------------------- issuance messages

Bytes IssuanceRequest::encode() const {
  Writer w;
  w.raw(as_bytes("FID-RQ1"));
  w.str8(issuer_id);
  w.str8(holder);
  w.u8(static_cast<std::uint8_t>(values.size()));
  for (const auto& v : values) w.str8(v);
  w.u32(count);
  return w.take();
}

Result<IssuanceRequest> IssuanceRequest::decode(ByteView b) {
  Reader r(b);
  auto magic = r.take(7);
  IssuanceRequest q;
  q.issuer_id = r.str8();
  q.holder = r.str8();
  const std::size_t n = r.u8();
  if (n > kMaxAttributes) return malformed("issuance request: too many values");
  for (std::size_t i = 0; i < n && r.ok(); ++i) q.values.push_back(r.str8());
  q.count = r.u32();
  if (!r.done() || !std::equal(magic.begin(), magic.end(), as_bytes("FID-RQ1").begin()))
    return malformed("issuance request does not decode");
  if (q.count == 0 || q.count > kMaxBatch) return malformed("issuance request: count must be 1..256");
  return q;
}

Bytes IssuanceOffer::encode() const {
  Writer w;
  w.raw(as_bytes("FID-M11"));
  w.bytes8(ti.encode());
  w.point(m1.sigma_z);
  w.u16(static_cast<std::uint16_t>(m1.sigma_a.size()));
  for (std::size_t i = 0; i < m1.sigma_a.size(); ++i) {
    w.point(m1.sigma_a[i]);
    w.point(m1.sigma_b[i]);
  }
  return w.take();
}

Result<IssuanceOffer> IssuanceOffer::decode(ByteView b) {
  Reader r(b);
  auto magic = r.take(7);
  IssuanceOffer o;
  Bytes ti = r.bytes8();
  o.m1.sigma_z = r.point();
  const std::size_t k = r.u16();
  if (k == 0 || k > kMaxBatch) return malformed("issuance offer: token count must be 1..256");
  for (std::size_t i = 0; i < k && r.ok(); ++i) {
    o.m1.sigma_a.push_back(r.point());
    o.m1.sigma_b.push_back(r.point());
  }
  if (!r.done() || !std::equal(magic.begin(), magic.end(), as_bytes("FID-M11").begin()))
    return malformed("issuance offer does not decode");
  FORMICA_ASSIGN_OR_RETURN(o.ti, TokenInfo::decode(ti));
  return o;
}

namespace {
Bytes encode_scalars(std::string_view magic, const std::vector<Scalar>& v) {
  Writer w;
  w.raw(as_bytes(magic));
  w.u16(static_cast<std::uint16_t>(v.size()));
  for (const auto& s : v) w.scalar(s);
  return w.take();
}
Result<std::vector<Scalar>> decode_scalars(std::string_view magic, ByteView b) {
  Reader r(b);
  auto m = r.take(magic.size());
  const std::size_t k = r.u16();
  if (k == 0 || k > kMaxBatch) return malformed("issuance message: token count must be 1..256");
  std::vector<Scalar> out;
  for (std::size_t i = 0; i < k && r.ok(); ++i) out.push_back(r.scalar());
  if (!r.done() || !std::equal(m.begin(), m.end(), as_bytes(magic).begin()))
    return malformed("issuance message does not decode");
  return out;
}
}  // namespace

Bytes encode_second(const uprove::SecondMessage<G>& m) { return encode_scalars("FID-M21", m.sigma_c); }
Result<uprove::SecondMessage<G>> decode_second(ByteView b) {
  FORMICA_ASSIGN_OR_RETURN(auto v, decode_scalars("FID-M21", b));
  return uprove::SecondMessage<G>{std::move(v)};
}
Bytes encode_third(const uprove::ThirdMessage<G>& m) { return encode_scalars("FID-M31", m.sigma_r); }
Result<uprove::ThirdMessage<G>> decode_third(ByteView b) {
  FORMICA_ASSIGN_OR_RETURN(auto v, decode_scalars("FID-M31", b));
  return uprove::ThirdMessage<G>{std::move(v)};
}

Result<Wallet> issue_locally(const IssuerSecret& issuer, const std::vector<std::string>& values, TokenInfo ti,
                             std::size_t count) {
  if (count == 0 || count > kMaxBatch) return invalid("count must be 1..256");
  FORMICA_ASSIGN_OR_RETURN(auto attrs, encode_attributes(issuer.pub, values));
  const Bytes tib = ti.encode();
  FORMICA_ASSIGN_OR_RETURN(
      auto is,
      uprove::IssuerSession<G>::start(uprove::IssuerKey<G>{issuer.pub.params, issuer.y0}, attrs, tib, count));
  FORMICA_ASSIGN_OR_RETURN(auto ps, uprove::ProverSession<G>::start(issuer.pub.params, attrs, tib, {}));
  FORMICA_ASSIGN_OR_RETURN(auto m2, ps.second(is.first()));
  FORMICA_ASSIGN_OR_RETURN(auto m3, is.respond(m2));
  FORMICA_ASSIGN_OR_RETURN(auto toks, ps.finish(m3));
  for (auto& a : attrs)
    if (a) secure_zero(*a);
  Wallet w;
  w.issuer = issuer.pub;
  w.values = values;
  w.ti = ti;
  w.tokens = std::move(toks);
  return w;
}

// ---------------------------------------------------------------- predicates

std::string Predicate::to_string() const {
  auto num = [&](std::int64_t v) { return std::to_string(v); };
  switch (op) {
    case Op::kAgeAtLeast: return "age>=" + num(a);
    case Op::kAtLeast: return attr + ">=" + num(a);
    case Op::kAtMost: return attr + "<=" + num(a);
    case Op::kInRange: return attr + " in [" + num(a) + "," + num(b) + "]";
  }
  return "?";
}

Result<Predicate> parse_predicate(std::string_view text) {
  Predicate p;
  const std::string t = trim(text);
  if (t.size() > 128) return invalid("predicate too long");
  if (auto pos = t.find(" in "); pos != std::string::npos) {
    p.op = Predicate::Op::kInRange;
    p.attr = trim(t.substr(0, pos));
    std::string rest = trim(t.substr(pos + 4));
    if (rest.size() < 5 || rest.front() != '[' || rest.back() != ']')
      return invalid("expected ATTR in [A,B]: " + t);
    rest = rest.substr(1, rest.size() - 2);
    auto comma = rest.find(',');
    if (comma == std::string::npos) return invalid("expected ATTR in [A,B]: " + t);
    FORMICA_ASSIGN_OR_RETURN(p.a, parse_bound(trim(rest.substr(0, comma))));
    FORMICA_ASSIGN_OR_RETURN(p.b, parse_bound(trim(rest.substr(comma + 1))));
    if (p.a > p.b) return invalid("empty interval: " + t);
  } else if (auto ge = t.find(">="); ge != std::string::npos) {
    p.attr = trim(t.substr(0, ge));
    FORMICA_ASSIGN_OR_RETURN(p.a, parse_bound(trim(t.substr(ge + 2))));
    p.op = Predicate::Op::kAtLeast;
    if (p.attr == "age") {
      p.op = Predicate::Op::kAgeAtLeast;
      p.attr = "birth_date";
      if (p.a > 200) return invalid("age must be 0..200");
    }
  } else if (auto le = t.find("<="); le != std::string::npos) {
    p.attr = trim(t.substr(0, le));
    FORMICA_ASSIGN_OR_RETURN(p.a, parse_bound(trim(t.substr(le + 2))));
    p.op = Predicate::Op::kAtMost;
    if (p.attr == "age") return invalid("age<=N is not supported");
  } else {
    return invalid("expected age>=N, ATTR>=N, ATTR<=N or ATTR in [A,B]: " + t);
  }
  if (!valid_name(p.attr)) return invalid("bad attribute name in predicate: " + t);
  return p;
}

// ---------------------------------------------------------------- presentation codec

Bytes Presentation::encode() const {
  Writer w;
  w.u8(kVersion);
  w.str8(issuer_id);
  w.str8(challenge.verifier_id);
  w.bytes8(challenge.nonce);
  w.u32(challenge.today);
  w.u8(static_cast<std::uint8_t>(predicates.size()));
  for (const auto& p : predicates) write_predicate(w, p);
  w.u8(static_cast<std::uint8_t>(disclosed.size()));
  for (std::size_t j = 0; j < disclosed.size(); ++j) {
    w.u8(static_cast<std::uint8_t>(disclosed[j]));
    w.bytes8(proof.disclosed[j] ? *proof.disclosed[j] : Bytes{});
  }
  w.bytes8(token.ti);
  write_token_core(w, token);
  w.raw(proof.a);
  w.scalar(proof.r0);
  w.u8(static_cast<std::uint8_t>(proof.r.size()));
  for (const auto& s : proof.r) w.scalar(s);
  w.u8(static_cast<std::uint8_t>(proof.tilde_c.size()));
  for (std::size_t j = 0; j < proof.tilde_c.size(); ++j) {
    w.point(proof.tilde_c[j]);
    w.raw(proof.tilde_a[j]);
    w.scalar(proof.tilde_r[j]);
  }
  for (const auto& rp : range_proofs) w.bytes16(rp);
  return w.take();
}

Result<Presentation> Presentation::decode(ByteView b) {
  if (b.size() > kMaxPresentationBytes) return malformed("presentation too large");
  Reader r(b);
  Presentation p;
  if (r.u8() != kVersion) return malformed("presentation: unknown version");
  p.issuer_id = r.str8();
  p.challenge.verifier_id = r.str8();
  p.challenge.nonce = r.bytes8();
  p.challenge.today = r.u32();
  const std::size_t np = r.u8();
  if (np > kMaxPredicates) return malformed("presentation: too many predicates");
  for (std::size_t i = 0; i < np && r.ok(); ++i) {
    Predicate q;
    const auto op = r.u8();
    if (op < 1 || op > 4) r.fail();
    q.op = static_cast<Predicate::Op>(op);
    q.attr = r.str8();
    q.a = static_cast<std::int64_t>(r.u64());
    q.b = static_cast<std::int64_t>(r.u64());
    p.predicates.push_back(q);
  }
  const std::size_t nd = r.u8();
  if (nd > kMaxAttributes) return malformed("presentation: too many disclosed attributes");
  for (std::size_t i = 0; i < nd && r.ok(); ++i) {
    p.disclosed.push_back(r.u8());
    p.proof.disclosed.push_back(r.bytes8());
  }
  p.token.ti = r.bytes8();
  read_token_core(r, p.token);
  p.proof.a = to_bytes(r.take(64));
  p.proof.r0 = r.scalar();
  const std::size_t nr = r.u8();
  if (nr > kMaxAttributes) return malformed("presentation: too many responses");
  for (std::size_t i = 0; i < nr && r.ok(); ++i) p.proof.r.push_back(r.scalar());
  const std::size_t nc = r.u8();
  if (nc > kMaxPredicates) return malformed("presentation: too many commitments");
  for (std::size_t i = 0; i < nc && r.ok(); ++i) {
    p.proof.tilde_c.push_back(r.point());
    p.proof.tilde_a.push_back(to_bytes(r.take(64)));
    p.proof.tilde_r.push_back(r.scalar());
  }
  for (std::size_t i = 0; i < np && r.ok(); ++i) p.range_proofs.push_back(r.bytes16());
  if (!r.done())
    return malformed("presentation does not decode (truncated, trailing or non-canonical bytes)");
  return p;
}

// ---------------------------------------------------------------- present / verify

namespace {

// `forge` (tests only, through detail::present_unchecked): skip the truth check and run the
// range prover's core on whatever the difference is (a negative one wraps mod q, its bits are
// taken mod 2^n), to show that such a proof does not verify.
Result<Presentation> present_impl(Wallet& wallet, const std::vector<Predicate>& predicates,
                                  const std::vector<std::string>& disclose, const Challenge& challenge,
                                  bool forge) {
  const IssuerPublic& ip = wallet.issuer;
  if (challenge.nonce.size() < 8 || challenge.nonce.size() > 64) return invalid("nonce must be 8..64 bytes");
  if (challenge.verifier_id.size() > 128) return invalid("verifier id too long");
  std::vector<std::uint32_t> disclosed;
  for (const auto& name : disclose) {
    auto idx = ip.index_of(name);
    if (!idx) return invalid("the issuer's schema has no attribute " + name);
    disclosed.push_back(static_cast<std::uint32_t>(*idx));
  }
  std::sort(disclosed.begin(), disclosed.end());
  disclosed.erase(std::unique(disclosed.begin(), disclosed.end()), disclosed.end());
  FORMICA_ASSIGN_OR_RETURN(Shape sh, shape_of(ip, predicates, disclosed));
  if (wallet.tokens.empty())
    return make_error(ErrorCode::kFailedPrecondition, "the wallet has no unused token left");
  if (wallet.ti.expires < challenge.today)
    return make_error(ErrorCode::kFailedPrecondition,
                      "the wallet's tokens expired on " + format_date(wallet.ti.expires));

  // Every statement must hold before anything is produced.
  std::vector<std::vector<RangeStmt>> stmts;
  std::vector<std::vector<std::uint64_t>> vals;
  for (std::size_t k = 0; k < predicates.size(); ++k) {
    const auto& p = predicates[k];
    FORMICA_ASSIGN_OR_RETURN(auto st, statements(p, challenge.today));
    auto xr = attr_integer(ip.attrs[sh.pred_attr[k] - 1].type, wallet.values[sh.pred_attr[k] - 1]);
    if (!xr.ok())  // an int-or-string attribute holding a string: no integer statement holds
      return make_error(
          ErrorCode::kFailedPrecondition,
          "statement is false for this wallet: " + p.to_string() + " (" + p.attr + " is not a number)");
    const std::uint64_t x = *xr;
    std::vector<std::uint64_t> v;
    for (const auto& s : st) {
      const std::int64_t xi = static_cast<std::int64_t>(x);
      const std::int64_t diff = s.upper ? s.bound - xi : xi - s.bound;
      const std::uint64_t limit = sh.pred_bits[k] == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << 32) - 1;
      if (!forge && (diff < 0 || static_cast<std::uint64_t>(diff) > limit))
        return make_error(ErrorCode::kFailedPrecondition,
                          "statement is false for this wallet: " + p.to_string());
      v.push_back(static_cast<std::uint64_t>(diff));
    }
    stmts.push_back(std::move(st));
    vals.push_back(std::move(v));
  }

  FORMICA_ASSIGN_OR_RETURN(auto attrs, encode_attributes(ip, wallet.values));
  const auto& tok = wallet.tokens.front();
  uprove::ProofRequest<G> req;
  req.disclosed = sh.disclosed;
  req.committed = sh.committed;
  req.m = message(ip, challenge, predicates, disclosed);
  req.commit_base = gens().pc.blinding();
  FORMICA_ASSIGN_OR_RETURN(auto pw, uprove::prove<G>(ip.params, tok, attrs, req));
  for (auto& a : attrs)
    if (a) secure_zero(*a);

  Presentation out;
  out.issuer_id = ip.issuer_id;
  out.challenge = challenge;
  out.predicates = predicates;
  out.disclosed = disclosed;
  out.token = tok.token;
  const Bytes tid = uprove::token_id(tok.token);
  for (std::size_t k = 0; k < predicates.size(); ++k) {
    const std::size_t ci =
        std::find(sh.committed.begin(), sh.committed.end(), sh.pred_attr[k]) - sh.committed.begin();
    const Scalar& o = pw.tilde_o[ci];
    std::vector<Scalar> blinds;
    for (const auto& s : stmts[k]) blinds.push_back(s.upper ? -o : o);
    const Bytes ctx = range_context(req.m, tid, k);
    Result<RangeProofWithCommitments<G>> rp = make_error(ErrorCode::kInternal, "unreachable");
    if (!forge) {
      rp = prove_range<G>(gens().pc, gens().bp, ctx, vals[k], blinds, sh.pred_bits[k]);
    } else {
      std::vector<Scalar> values, a_l;
      for (std::size_t j = 0; j < vals[k].size(); ++j) {
        const std::int64_t diff = static_cast<std::int64_t>(vals[k][j]);  // the signed difference
        values.push_back(scalar_of(diff));
        for (std::size_t b = 0; b < sh.pred_bits[k]; ++b)
          a_l.push_back(Scalar::from_u64((vals[k][j] >> b) & 1));
      }
      rp = zk::detail::prove_range_unchecked<G>(gens().pc, gens().bp, ctx, values, blinds, a_l,
                                                sh.pred_bits[k]);
    }
    if (!rp.ok()) return make_error(ErrorCode::kInternal, "range proof: " + rp.error().message);
    out.range_proofs.push_back(rp->proof.serialize());
    for (auto& v : vals[k]) v = 0;
  }
  out.proof = std::move(pw.proof);
  wallet.tokens.erase(wallet.tokens.begin());  // one token, one presentation
  return out;
}

}  // namespace

Result<Presentation> present(Wallet& wallet, const std::vector<Predicate>& predicates,
                             const std::vector<std::string>& disclose, const Challenge& challenge) {
  return present_impl(wallet, predicates, disclose, challenge, false);
}

namespace detail {
Result<Presentation> present_unchecked(Wallet& wallet, const std::vector<Predicate>& predicates,
                                       const std::vector<std::string>& disclose, const Challenge& challenge) {
  return present_impl(wallet, predicates, disclose, challenge, true);
}
}  // namespace detail

Result<Verified> verify_presentation(const IssuerPublic& ip, const std::vector<Predicate>& predicates,
                                     const std::vector<std::string>& disclose, const Challenge& challenge,
                                     ByteView bytes, std::uint64_t min_epoch) {
  FORMICA_ASSIGN_OR_RETURN(Presentation p, Presentation::decode(bytes));
  if (p.issuer_id != ip.issuer_id)
    return rejected("presentation is for another issuer (" + p.issuer_id + ")");
  if (p.challenge.verifier_id != challenge.verifier_id)
    return rejected("presentation was made for another verifier (" + p.challenge.verifier_id + ")");
  if (p.challenge.nonce != challenge.nonce)
    return rejected("replayed presentation: the nonce is not this challenge's");
  if (p.challenge.today != challenge.today)
    return rejected("presentation was made for another date (" + format_date(p.challenge.today) + ")");
  std::vector<std::uint32_t> want;
  for (const auto& name : disclose) {
    auto idx = ip.index_of(name);
    if (!idx) return invalid("the issuer's schema has no attribute " + name);
    want.push_back(static_cast<std::uint32_t>(*idx));
  }
  std::sort(want.begin(), want.end());
  want.erase(std::unique(want.begin(), want.end()), want.end());
  if (p.predicates != predicates || p.disclosed != want)
    return rejected("presentation proves other statements than the ones requested");
  auto sh = shape_of(ip, p.predicates, p.disclosed);
  if (!sh.ok()) return rejected(sh.error().message);
  auto ti = TokenInfo::decode(p.token.ti);
  if (!ti.ok()) return rejected("token information field is not Formica's");
  if (ti->expires < challenge.today) return rejected("token expired on " + format_date(ti->expires));
  if (ti->epoch < min_epoch)
    return rejected("token revoked: epoch " + std::to_string(ti->epoch) + " is below the issuer's minimum " +
                    std::to_string(min_epoch));
  if (p.range_proofs.size() != p.predicates.size()) return rejected("one range proof per predicate expected");
  // Disclosed dates and integers in their one canonical form (minimal big-endian, a real date).
  for (std::size_t j = 0; j < p.disclosed.size(); ++j) {
    const auto& def = ip.attrs[p.disclosed[j] - 1];
    if (def.type == AttrType::kString) continue;
    const Bytes& v = *p.proof.disclosed[j];
    if (def.type == AttrType::kAuto && v.size() == kAutoStringBytes) {
      auto again = auto_string_bytes(value_text(def.type, v));
      if (!again.ok() || *again != v || attr_integer(def.type, value_text(def.type, v)).ok())
        return rejected("disclosed " + def.name + " is not a canonical string");
      continue;
    }
    if (v.empty() || v.size() > 8 || (v.size() > 1 && v[0] == 0))
      return rejected("disclosed " + def.name + " is not a canonical integer");
    auto text = value_text(def.type, v);
    if (!attr_integer(def.type, text).ok())
      return rejected("disclosed " + def.name + " is not a valid value");
  }

  uprove::ProofRequest<G> req;
  req.disclosed = sh->disclosed;
  req.committed = sh->committed;
  req.m = message(ip, challenge, p.predicates, p.disclosed);
  req.commit_base = gens().pc.blinding();
  auto st = uprove::verify<G>(ip.params, p.token, req, p.proof);
  if (!st.ok()) return rejected(st.error().message);

  const Bytes tid = uprove::token_id(p.token);
  const Point& B = gens().pc.base();
  for (std::size_t k = 0; k < p.predicates.size(); ++k) {
    const auto& pred = p.predicates[k];
    auto stmts = statements(pred, challenge.today);
    if (!stmts.ok()) return rejected(stmts.error().message);
    const std::size_t ci =
        std::find(sh->committed.begin(), sh->committed.end(), sh->pred_attr[k]) - sh->committed.begin();
    const Point& C = p.proof.tilde_c[ci];
    std::vector<Point> vs;
    for (const auto& s : *stmts)
      vs.push_back(s.upper ? B * scalar_of(s.bound) - C : C - B * scalar_of(s.bound));
    auto rp = RangeProof<G>::deserialize(p.range_proofs[k]);
    if (!rp.ok())
      return make_error(ErrorCode::kMalformed, "range proof does not decode: " + rp.error().message);
    if (!verify_range<G>(gens().pc, gens().bp, range_context(req.m, tid, k), vs, *rp, sh->pred_bits[k]).ok())
      return rejected("predicate " + pred.to_string() + " is not proven (range proof fails)");
  }
  Verified out;
  out.ti = *ti;
  for (std::size_t j = 0; j < p.disclosed.size(); ++j) {
    const auto& def = ip.attrs[p.disclosed[j] - 1];
    out.disclosed[def.name] = value_text(def.type, p.proof.disclosed[j]);
  }
  return out;
}

}  // namespace formica::zk::cred
