// Placeholder until the remit layer lands.
#include "args.h"
#include "commands.h"

namespace formica::cli {
int cmd_remit(const Words&) { return fail(kExitUsage, "remit", "not built yet"); }
}  // namespace formica::cli
