#pragma once
// `trace`: GS1 traceability on chain (docs/trace.md).
//
// Participants are organisations with their GS1 Company Prefixes and locations (GLNs),
// registered by the organisation's admin. A participant captures EPCIS documents (2.0 JSON-LD
// or XML, 1.2 XML): every event is validated by the gs1 layer and recorded under its CBV 2.0
// event hash ID; re-capturing an event is a no-op; re-capturing it with an errorDeclaration
// (which the hash leaves out) marks the original as declared erroneous. Authorisation, per
// event: every readPoint/bizLocation must be the sender's; identifiers the event brings into
// being (ObjectEvent ADD, an ADD aggregation's parent, transformation outputs) must be under
// the sender's company prefixes; other identifiers must be the sender's or the event must take
// place at one of the sender's locations (custody). Anything else is refused with the reason.
//
// Anti-counterfeit: the commissioning organisation may attach H(secret) to an item (a one-time
// code under a scratch panel or in an NFC tag); the first `claim` of the code is recorded, a
// second claim or a code never commissioned is recorded as a counterfeit signal.
//
// State ("trace/…"; values canonical encodings):
//   "p/<org>"              TraceParticipant        "porgs"               the participant orgs
//   "cp/<prefix>"          owning org (company prefix)   "gl/<gln>"     owning org (GLN)
//   "e/<hash 32 bytes>"    TraceEventRecord
//   "n/<t>/<value>"        index length (u64)      "x/<t>/<value>\0<u64 be>"  event hash
//                          t: e = instance id, c = class, l = location, b = bizStep, a = all
//   "i/<item>"             TraceItemRecord (commissioned items, secrets, claims)
//   "s/<secret hash>"      item id                 "u/<secret hash>"     unknown-code claims
// Identifiers are indexed as constrained canonical GS1 Digital Links (https://id.gs1.org/…),
// so an EPC URI and a Digital Link of one item meet. No floating point, no wall clock: times
// are compared as canonical UTC strings ("2026-01-02T03:04:05.000Z").

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "formica/codec/fields.h"
#include "formica/crypto/hash.h"
#include "formica/ledger/executor.h"
#include "formica/ledger/module.h"

namespace formica::apps {

using ledger::AddressBytes;

inline constexpr std::string_view kTraceSecretDomain = "formica/trace/secret/v1";

struct TraceParticipant {
  std::string org;
  std::string display_name;
  std::vector<std::string> company_prefixes;
  std::vector<std::string> glns;
  AddressBytes registered_by{};
  std::uint64_t height = 0;
  FORMICA_CODEC_FIELDS(org, display_name, company_prefixes, glns, registered_by, height)
};

struct TraceEventRecord {
  std::string hash_id;  // ni:///sha-256;<hex>?ver=CBV2.0
  std::string org;      // capturing organisation
  AddressBytes capturer{};
  std::uint64_t height = 0;
  ledger::Hash tx_id{};
  std::string event_time;  // canonical UTC, milliseconds
  std::string event_json;  // the event (trace.md "event JSON"), keys sorted
  std::string error_json;  // "" or the errorDeclaration once declared
  std::uint64_t error_height = 0;
  FORMICA_CODEC_FIELDS(hash_id, org, capturer, height, tx_id, event_time, event_json, error_json,
                       error_height)
};

struct TraceItemRecord {
  std::string id;   // canonical Digital Link
  std::string org;  // commissioning organisation
  std::uint64_t commissioned_height = 0;
  Bytes secret_hash;         // empty: no anti-counterfeit code
  std::uint64_t claims = 0;  // valid-code claims; > 1 is a counterfeit signal
  std::uint64_t first_claim_height = 0;
  AddressBytes first_claimer{};
  std::uint64_t last_claim_height = 0;
  std::uint64_t bad_code_claims = 0;  // claims naming this item with a wrong or unknown code
  FORMICA_CODEC_FIELDS(id, org, commissioned_height, secret_hash, claims, first_claim_height, first_claimer,
                       last_claim_height, bad_code_claims)
};

// Payloads, one per kind.
struct TraceRegister {  // "register": the sender's organisation (sender must be its admin)
  std::string display_name;
  std::vector<std::string> company_prefixes;  // 4..12 digits
  std::vector<std::string> glns;              // 13 digits with a valid check digit
  FORMICA_CODEC_FIELDS(display_name, company_prefixes, glns)
};
struct TraceSecret {
  std::string item;   // EPC URI or Digital Link of one instance
  Bytes secret_hash;  // hash_of(H, kTraceSecretDomain, secret text)
  FORMICA_CODEC_FIELDS(item, secret_hash)
};
struct TraceCapture {    // "capture"
  std::string document;  // the EPCIS document text
  std::vector<TraceSecret> secrets;
  FORMICA_CODEC_FIELDS(document, secrets)
};
struct TraceSetSecrets {  // "set_secrets"
  std::vector<TraceSecret> secrets;
  FORMICA_CODEC_TRANSPARENT(secrets)
};
struct TraceClaim {  // "claim"
  std::string secret;
  std::string item;  // "" or the Digital Link the consumer scanned
  FORMICA_CODEC_FIELDS(secret, item)
};

// One event of a query answer, with where it sits in the state (for proofs).
struct TraceEventHit {
  TraceEventRecord record;
  Bytes state_key;       // full state key ("trace/e/<hash>")
  Bytes value;           // the encoded record, as stored
  std::string relation;  // trace: "self", "lot", "parent", "input", "output"
  std::string via;       // trace: the identifier whose events these are (item, container, input, output)
};

struct TraceQuery {
  std::string epc, epc_class, location, biz_step;
  std::string from, to;  // canonical UTC bounds (inclusive, "" = open); any xsd:dateTime accepted
  std::uint64_t cursor = 0;
  std::uint64_t limit = 100;       // ≤ 1000
  std::uint64_t max_scan = 20000;  // index entries read per call
};
struct TraceQueryResult {
  std::vector<TraceEventHit> events;
  std::optional<std::uint64_t> next_cursor;
};

struct TraceLimits {
  std::size_t max_ids = 256;
  std::size_t max_events = 2000;
};
struct TraceResult {
  std::string item;                   // canonical id of the item traced
  std::string lot;                    // canonical lot class ("" when the input named none)
  std::vector<TraceEventHit> events;  // sorted by event time, then hash id
  std::vector<std::string> parents, children, inputs, outputs;
  std::optional<TraceItemRecord> item_record;
  Bytes item_state_key;
  bool truncated = false;
};

class Trace final : public ledger::Module {
 public:
  static constexpr std::string_view kName = "trace";
  explicit Trace(crypto::HashAlg alg = crypto::HashAlg::kSha256) : alg_(alg) {}
  std::string_view name() const override { return kName; }
  Status execute(ledger::TxContext& ctx, std::string_view kind, ByteView payload) override;
  // Paths: participant {org}, participants, event {id}, events {epc|class|location|biz_step,
  // from, to, cursor, limit}, trace {id}, item {id}.
  Result<codec::Json> query(const ledger::StateReader& state, std::string_view path,
                            const codec::Json& params) const override;

  // The canonical identifier (constrained canonical Digital Link) of an EPC URI or Digital
  // Link; other URIs unchanged. kInvalidArgument for an empty string.
  static Result<std::string> canonical_id(std::string_view id);
  // "2026-01-02T03:04:05.000Z" of an xsd:dateTime; kInvalidArgument when it is not one.
  static Result<std::string> canonical_time(std::string_view text);
  // hash_of(alg, kTraceSecretDomain, secret).
  static Result<Bytes> secret_hash(crypto::HashAlg alg, std::string_view secret);
  static Bytes event_state_key(const ledger::Hash& event_hash);
  static Bytes item_state_key(std::string_view canonical_item);
  // The 32 bytes of an "ni:///sha-256;<hex>?ver=CBV2.0" hash ID.
  static Result<ledger::Hash> parse_hash_id(std::string_view hash_id);

  static Result<std::optional<TraceParticipant>> participant(const ledger::StateReader& state,
                                                             std::string_view org);
  static Result<std::optional<TraceEventHit>> event(const ledger::StateReader& state,
                                                    std::string_view hash_id);
  static Result<TraceQueryResult> events(const ledger::StateReader& state, const TraceQuery& q);
  // The trace of one item (EPC URI or Digital Link; a Digital Link with a lot also brings the
  // lot's class-level events): its own events, its containers' events while it was inside them
  // (aggregation ADD..DELETE), transformations upstream (inputs) and downstream (outputs).
  static Result<TraceResult> trace(const ledger::StateReader& state, std::string_view id,
                                   const TraceLimits& limits = {});
  static Result<std::optional<TraceItemRecord>> item(const ledger::StateReader& state, std::string_view id);

  static codec::Json hit_json(const TraceEventHit& hit);
  static codec::Json item_json(const TraceItemRecord& rec);
  static codec::Json trace_json(const TraceResult& r);

 private:
  crypto::HashAlg alg_;
};

}  // namespace formica::apps
