// Placeholder until the guard layer lands.
#include "args.h"
#include "commands.h"

namespace formica::cli {
int cmd_guard(const Words&) { return fail(kExitUsage, "guard", "not built yet"); }
}  // namespace formica::cli
