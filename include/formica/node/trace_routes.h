#pragma once
// The node's GS1 Digital Link resolver and traceability REST routes (docs/trace.md).
//
//   GET /01/{gtin}[/10/{lot}][/21/{serial}][?linkType=…]   (also /00/ SSCC, /414/ GLN, /8004/ GIAI)
//       a browser (Accept: text/html): 302 to the consumer page, `<consumer_page>?dl=<uri>`;
//       otherwise the linkset (RFC 9264, GS1 resolver conventions) as application/linkset+json;
//       linkType=gs1:traceability (or gs1:epcis): 302 to the trace (events) resource
//   GET /.well-known/gs1resolver                 resolver description
//   GET /trace/v1/trace?id=URI                   the item's trace, every event and the item record
//                                                with its state proof, all at one height, and that
//                                                height's header (encoded + JSON)
//   GET /trace/v1/events?epc=&class=&location=&biz_step=&from=&to=&cursor=&limit=
//   GET /trace/v1/event?id=ni:///…               one event with its proof
//   GET /trace/v1/item?id=URI                    the item record (claims) with its proof
//   GET /trace/v1/participants                   participant organisations
//
// Every answer names the height it was read at; proofs use the get_state format (hex of
// storage::encode_state_proof) so the SDK's light client checks them unchanged. The quorum
// certificate of the header is not included: clients ask `get_certificate` for that height.

#include <string>

#include "formica/base/status.h"
#include "formica/ledger/chain.h"
#include "formica/rpc/server.h"

namespace formica::node {

struct TraceRouteOptions {
  std::string consumer_page = "/trace.html";  // where browsers are sent (served from static_dir)
};

// Adds the routes above to `server` (call once, before or after start). `chain` must outlive it.
Status install_trace_routes(rpc::Server& server, const ledger::Chain& chain, TraceRouteOptions options = {});

// The handlers, callable without a server (tests, benchmarks).
rpc::HttpReply handle_trace_get(const ledger::Chain& chain, const TraceRouteOptions& options,
                                const rpc::HttpRequestView& request);

}  // namespace formica::node
