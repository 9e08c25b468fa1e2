#pragma once
// What the client commands (query, pay, account, asset, proof, bench) share: finding a node
// (--rpc URL or --net DIR), loading a key, and building, signing and submitting a transaction.

#include <optional>
#include <string>

#include "args.h"
#include "formica/codec/json.h"
#include "formica/crypto/signature.h"
#include "formica/ledger/genesis.h"
#include "formica/ledger/transaction.h"
#include "formica/rpc/client.h"

namespace formica::cli {

// Options every client command accepts.
std::vector<OptionSpec> client_options(std::vector<OptionSpec> more);

// --rpc URL, or the first node of --net DIR that answers, or FORMICA_RPC, or
// http://127.0.0.1:26600. kUnavailable when --net is given and no node answers.
Result<std::string> resolve_rpc(const Args& args);

// --key FILE with --password-file P (default FILE.pass when that exists).
Result<crypto::PrivateKey> load_key_arg(const Args& args);

struct ChainInfo {
  std::string chain_id;
  crypto::HashAlg hash_alg = crypto::HashAlg::kSha256;
  std::uint64_t height = 0;
};
Result<ChainInfo> chain_info(rpc::Client& client);
// The sender's next nonce (0 when not registered).
Result<std::uint64_t> next_nonce(rpc::Client& client, const crypto::Address& who);

// Signs and submits one transaction; with wait, returns after finality with the receipt.
// The result is the submit_tx reply {"tx_id", "receipt"}. A rejected receipt is kFailedPrecondition
// (exit 1) with the receipt's error.
Result<codec::Json> submit(rpc::Client& client, const crypto::PrivateKey& key, const std::string& module,
                           const std::string& kind, const Bytes& payload, bool wait);

// Prints `j` (with --json) or the human line, and returns 0.
int print_result(const Args& args, const codec::Json& j, const std::string& human);

// Parses "12.34" with `decimals` places into base units; kInvalidArgument otherwise.
// The light-client check of a header (height `h`, hash `header_hash`) without trusting the
// node: the node's certificate for that height or a later one must carry a QC of 2f+1 of
// genesis' validators over a block whose exec names a header, and parent hashes must lead
// from that header down to this one. Returns a description ("certified by 3 of 4 ...").
Result<std::string> verify_certified(rpc::Client& client, const ledger::Genesis& genesis, std::uint64_t h,
                                     const crypto::Hash32& header_hash);

Result<codec::U128> parse_amount(std::string_view text, unsigned decimals);

}  // namespace formica::cli
