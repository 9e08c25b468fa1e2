// Placeholder until the crypto layer lands; replaced by the keygen/sign/verify/hash commands.
#include "args.h"
#include "commands.h"

namespace formica::cli {
int cmd_keygen(const Words&) { return fail(kExitUsage, "keygen", "not built yet"); }
int cmd_sign(const Words&) { return fail(kExitUsage, "sign", "not built yet"); }
int cmd_verify(const Words&) { return fail(kExitUsage, "verify", "not built yet"); }
int cmd_hash(const Words&) { return fail(kExitUsage, "hash", "not built yet"); }
}  // namespace formica::cli
