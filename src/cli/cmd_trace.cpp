// Placeholder until the trace layer lands.
#include "args.h"
#include "commands.h"

namespace formica::cli {
int cmd_trace(const Words&) { return fail(kExitUsage, "trace", "not built yet"); }
}  // namespace formica::cli
