// Placeholder until the zk layer lands.
#include "args.h"
#include "commands.h"

namespace formica::cli {
int cmd_zk(const Words&) { return fail(kExitUsage, "zk", "not built yet"); }
}  // namespace formica::cli
