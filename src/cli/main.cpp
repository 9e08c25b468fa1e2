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
    {"keygen", formica::cli::cmd_keygen, "create an encrypted key file"},
    {"sign", formica::cli::cmd_sign, "sign a message with a key file"},
    {"verify", formica::cli::cmd_verify, "verify a signature"},
    {"hash", formica::cli::cmd_hash, "hash a message (sha256, sm3, keccak256, blake2b-256)"},
    {"trace", formica::cli::cmd_trace, "GS1 traceability: EPCIS hash, Digital Link, QR codes"},
    {"remit", formica::cli::cmd_remit, "remittance: ISO 20022 checks"},
    {"zk", formica::cli::cmd_zk, "zero-knowledge proofs: range proofs"},
    {"guard", formica::cli::cmd_guard, "return to owner: private matching"},
};

void usage(std::ostream& out) {
  out << "usage: formica <command> [options]\n\ncommands:\n";
  for (const auto& g : kGroups)
    out << "  " << g.name << std::string(10 - std::string(g.name).size(), ' ') << g.summary << "\n";
  out << "\nSee docs/CLI.md (the contract: ../shared/CLI.md) for every option.\n";
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
