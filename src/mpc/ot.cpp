#include "formica/mpc/ot.h"

#include <decaf/point_255.h>
#include <sodium.h>

#include <cstring>
#include <utility>

namespace formica::mpc {
namespace {

constexpr char kDomain[] = "formica/mpc/ot/v1";

void put_u64(std::uint8_t* out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

std::uint64_t get_u64(const std::uint8_t* in) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | in[i];
  return v;
}

// Scalar from 64 uniform bytes (reduced mod the group order: statistically uniform).
struct Scalar {
  decaf_255_scalar_t s;
  explicit Scalar(const std::uint8_t wide[64]) { decaf_255_scalar_decode_long(s, wide, 64); }
  ~Scalar() { decaf_255_scalar_destroy(s); }
};

bool decode_point(decaf_255_point_t out, const std::uint8_t* ser) {
  return decaf_successful(decaf_255_point_decode(out, ser, DECAF_FALSE)) != 0;
}

// Base-OT key: H(domain, index, A, B, shared point).
Seed base_key(std::size_t i, const std::uint8_t* a, const std::uint8_t* b, const decaf_255_point_t shared) {
  std::uint8_t enc[kPointBytes];
  decaf_255_point_encode(enc, shared);
  crypto_generichash_state st;
  crypto_generichash_init(&st, nullptr, 0, kSeedBytes);
  crypto_generichash_update(&st, reinterpret_cast<const std::uint8_t*>(kDomain), sizeof(kDomain));
  std::uint8_t idx[8];
  put_u64(idx, i);
  crypto_generichash_update(&st, idx, sizeof(idx));
  crypto_generichash_update(&st, a, kPointBytes);
  crypto_generichash_update(&st, b, kPointBytes);
  crypto_generichash_update(&st, enc, sizeof(enc));
  Seed out;
  crypto_generichash_final(&st, out.data(), out.size());
  secure_zero(enc, sizeof(enc));
  return out;
}

// Column-major 128 x (8*col_bytes) bit matrix -> one Block per row.
std::vector<Block> transpose(const std::vector<std::uint8_t>& cols, std::size_t col_bytes, std::size_t m) {
  std::vector<Block> rows(col_bytes * 8);
  for (std::size_t i = 0; i < kBaseOts; ++i) {
    const std::uint8_t* col = cols.data() + i * col_bytes;
    const std::uint64_t bit = std::uint64_t{1} << (i % 64);
    const bool high = i >= 64;
    for (std::size_t jb = 0; jb < col_bytes; ++jb) {
      std::uint8_t byte = col[jb];
      Block* r = rows.data() + jb * 8;
      while (byte != 0) {
        int k = __builtin_ctz(byte);
        byte = static_cast<std::uint8_t>(byte & (byte - 1));
        (high ? r[k].hi : r[k].lo) |= bit;
      }
    }
  }
  rows.resize(m);
  return rows;
}

}  // namespace

void Block::store(std::uint8_t* out) const {
  put_u64(out, lo);
  put_u64(out + 8, hi);
}

Block Block::load(const std::uint8_t* in) { return {get_u64(in), get_u64(in + 8)}; }

Block Block::random(Prg& prg) {
  std::uint8_t b[16];
  prg.fill(b);
  return load(b);
}

static void hash_into(std::uint8_t tag, std::uint64_t a, std::uint64_t b, Block x, std::uint8_t* out,
                      std::size_t out_len) {
  std::uint8_t in[1 + 8 + 8 + 16];
  in[0] = tag;
  put_u64(in + 1, a);
  put_u64(in + 9, b);
  x.store(in + 17);
  crypto_generichash(out, out_len, in, sizeof(in), nullptr, 0);
}

Block hash_block(std::uint8_t tag, std::uint64_t a, std::uint64_t b, Block x) {
  std::uint8_t out[16];
  hash_into(tag, a, b, x, out, sizeof(out));
  return Block::load(out);
}

Seed hash_seed(std::uint8_t tag, std::uint64_t a, std::uint64_t b, Block x) {
  Seed out;
  hash_into(tag, a, b, x, out.data(), out.size());
  return out;
}

std::size_t ot_matrix_bytes(std::size_t m) { return kBaseOts * ((m + 127) / 128) * 16; }

// ---- Base OT --------------------------------------------------------------------------------

BaseOtSender::BaseOtSender(Prg& prg) {
  prg.fill(a_scalar_bytes_);
  Scalar a(a_scalar_bytes_.data());
  decaf_255_point_t big_a;
  decaf_255_precomputed_scalarmul(big_a, decaf_255_precomputed_base, a.s);
  decaf_255_point_encode(a_point_.data(), big_a);
}

BaseOtSender::~BaseOtSender() { secure_zero(a_scalar_bytes_.data(), a_scalar_bytes_.size()); }

Result<std::vector<std::array<Seed, 2>>> BaseOtSender::finish(ByteView receiver_points) const {
  if (receiver_points.size() != kBaseOts * kPointBytes) {
    return make_error(ErrorCode::kMalformed, "base OT: wrong number of receiver points");
  }
  Scalar a(a_scalar_bytes_.data());
  decaf_255_point_t big_a, a_a;
  if (!decode_point(big_a, a_point_.data())) return make_error(ErrorCode::kInternal, "base OT: own point");
  decaf_255_point_scalarmul(a_a, big_a, a.s);
  std::vector<std::array<Seed, 2>> keys(kBaseOts);
  for (std::size_t i = 0; i < kBaseOts; ++i) {
    const std::uint8_t* b_ser = receiver_points.data() + i * kPointBytes;
    decaf_255_point_t b, ab, ab_minus_aa;
    if (!decode_point(b, b_ser)) {
      return make_error(ErrorCode::kMalformed, "base OT: receiver point is not a valid group element");
    }
    decaf_255_point_scalarmul(ab, b, a.s);
    decaf_255_point_sub(ab_minus_aa, ab, a_a);
    keys[i][0] = base_key(i, a_point_.data(), b_ser, ab);
    keys[i][1] = base_key(i, a_point_.data(), b_ser, ab_minus_aa);
    decaf_255_point_destroy(ab);
    decaf_255_point_destroy(ab_minus_aa);
  }
  decaf_255_point_destroy(a_a);
  return keys;
}

Result<BaseOtReceiverOutput> base_ot_receive(ByteView sender_point, Prg& prg) {
  if (sender_point.size() != kPointBytes) return make_error(ErrorCode::kMalformed, "base OT: point size");
  decaf_255_point_t big_a;
  if (!decode_point(big_a, sender_point.data())) {
    return make_error(ErrorCode::kMalformed, "base OT: sender point is not a valid group element");
  }
  BaseOtReceiverOutput out;
  out.choices = Block::random(prg);
  out.points.resize(kBaseOts * kPointBytes);
  out.keys.resize(kBaseOts);
  for (std::size_t i = 0; i < kBaseOts; ++i) {
    std::uint8_t wide[64];
    prg.fill(wide);
    Scalar b(wide);
    secure_zero(wide, sizeof(wide));
    decaf_255_point_t bg, a_plus_bg, big_b, shared;
    decaf_255_precomputed_scalarmul(bg, decaf_255_precomputed_base, b.s);
    decaf_255_point_add(a_plus_bg, big_a, bg);
    const std::uint64_t choice = (i < 64 ? out.choices.lo >> i : out.choices.hi >> (i - 64)) & 1;
    decaf_255_point_cond_sel(big_b, bg, a_plus_bg, static_cast<decaf_word_t>(choice));  // no branch
    std::uint8_t* b_ser = out.points.data() + i * kPointBytes;
    decaf_255_point_encode(b_ser, big_b);
    decaf_255_point_scalarmul(shared, big_a, b.s);
    out.keys[i] = base_key(i, sender_point.data(), b_ser, shared);
    decaf_255_point_destroy(bg);
    decaf_255_point_destroy(a_plus_bg);
    decaf_255_point_destroy(shared);
  }
  return out;
}

// ---- IKNP -----------------------------------------------------------------------------------

OtExtReceiver::OtExtReceiver(std::vector<std::array<Seed, 2>> base_keys) : keys_(std::move(base_keys)) {}

OtExtReceiver::~OtExtReceiver() {
  for (auto& k : keys_) secure_zero(k.data(), sizeof(k));
}

Bytes OtExtReceiver::extend(std::uint64_t ext_id, const std::vector<std::uint8_t>& choice_bits, std::size_t m,
                            std::vector<Block>& t) const {
  const std::size_t col_bytes = (m + 127) / 128 * 16;
  std::vector<std::uint8_t> r(col_bytes, 0);
  std::memcpy(r.data(), choice_bits.data(), std::min(choice_bits.size(), (m + 7) / 8));
  if (m % 8 != 0) r[m / 8] &= static_cast<std::uint8_t>((1u << (m % 8)) - 1);
  std::vector<std::uint8_t> t_cols(kBaseOts * col_bytes);
  std::vector<std::uint8_t> g1(col_bytes);
  Bytes u(kBaseOts * col_bytes);
  for (std::size_t i = 0; i < kBaseOts; ++i) {
    std::uint8_t* tc = t_cols.data() + i * col_bytes;
    chacha_expand(keys_[i][0], ext_id, {tc, col_bytes});
    chacha_expand(keys_[i][1], ext_id, g1);
    std::uint8_t* uc = u.data() + i * col_bytes;
    for (std::size_t b = 0; b < col_bytes; ++b) uc[b] = tc[b] ^ g1[b] ^ r[b];
  }
  t = transpose(t_cols, col_bytes, m);
  secure_zero(t_cols.data(), t_cols.size());
  secure_zero(r.data(), r.size());
  return u;
}

OtExtSender::OtExtSender(Block s, std::vector<Seed> keys) : s_(s), keys_(std::move(keys)) {}

OtExtSender::~OtExtSender() {
  for (auto& k : keys_) secure_zero(k.data(), k.size());
  secure_zero(&s_, sizeof(s_));
}

Result<std::vector<Block>> OtExtSender::extend(std::uint64_t ext_id, ByteView u, std::size_t m) const {
  const std::size_t col_bytes = (m + 127) / 128 * 16;
  if (u.size() != kBaseOts * col_bytes) return make_error(ErrorCode::kMalformed, "OT extension: matrix size");
  std::vector<std::uint8_t> q_cols(kBaseOts * col_bytes);
  for (std::size_t i = 0; i < kBaseOts; ++i) {
    std::uint8_t* qc = q_cols.data() + i * col_bytes;
    chacha_expand(keys_[i], ext_id, {qc, col_bytes});
    const bool s_i = ((i < 64 ? s_.lo >> i : s_.hi >> (i - 64)) & 1) != 0;
    const auto mask = static_cast<std::uint8_t>(0 - static_cast<unsigned>(s_i));  // no branch on s
    const std::uint8_t* uc = u.data() + i * col_bytes;
    for (std::size_t b = 0; b < col_bytes; ++b) qc[b] ^= uc[b] & mask;
  }
  auto q = transpose(q_cols, col_bytes, m);
  secure_zero(q_cols.data(), q_cols.size());
  return q;
}

}  // namespace formica::mpc
