// formica: one binary for nodes, local networks and clients (../shared/CLI.md).

#include <iostream>
#include <string>
#include <vector>

#include "args.h"
#include "commands.h"

namespace {

using formica::cli::Words;

struct Group {
  const char* name;
  int (*run)(const Words&);
  const char* summary;
};

const Group kGroups[] = {
    {"node", formica::cli::cmd_node, "run a node: node --config FILE"},
    {"net", formica::cli::cmd_net, "local consortium: init, up, down, kill, status"},
    {"query", formica::cli::cmd_query, "read the chain: block, tx, balance, account"},
    {"pay", formica::cli::cmd_pay, "pay transfer: move money"},
    {"account", formica::cli::cmd_account, "register accounts, grant and revoke roles"},
    {"asset", formica::cli::cmd_asset, "issue, mint and burn assets"},
    {"proof", formica::cli::cmd_proof, "verify a state proof against a block header"},
    {"bench", formica::cli::cmd_bench, "load generator: bench transfer"},
    {"keygen", formica::cli::cmd_keygen, "create an encrypted key file"},
    {"sign", formica::cli::cmd_sign, "sign a message with a key file"},
    {"verify", formica::cli::cmd_verify, "verify a signature"},
    {"hash", formica::cli::cmd_hash, "hash a message (sha256, sm3, keccak256, blake2b-256)"},
    {"trace", formica::cli::cmd_trace, "GS1 traceability: EPCIS hash, Digital Link, QR codes"},
    {"remit", formica::cli::cmd_remit, "remittance: ISO 20022 checks"},
    {"guard", formica::cli::cmd_guard, "return to owner: private matching"},
    {"id", formica::cli::cmd_id, "universal ID: issue, prove and verify anonymous credentials"},
};

void usage(std::ostream& out) {
  out << "usage: formica <command> [options]\n\ncommands:\n";
  for (const auto& g : kGroups)
    out << "  " << g.name << std::string(10 - std::string(g.name).size(), ' ') << g.summary << "\n";
  out << "\ndocs/CLI.md is the contract for every option.\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    usage(std::cerr);
    return formica::cli::kExitUsage;
  }
  std::string group = argv[1];
  if (group == "--help" || group == "-h" || group == "help") {
    usage(std::cout);
    return formica::cli::kExitOk;
  }
  Words words(argv + 2, argv + argc);
  for (const auto& g : kGroups)
    if (group == g.name) return g.run(words);
  return formica::cli::fail(formica::cli::kExitUsage, group, "unknown command (try formica --help)");
}
