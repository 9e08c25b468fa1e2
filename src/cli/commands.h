#pragma once
// One entry point per command group; main.cpp dispatches on the first word. Each group lives
// in its own cmd_<group>.cpp so that the owners of different layers do not edit one file.

#include <string>
#include <vector>

namespace formica::cli {

using Words = std::vector<std::string>;  // the words after the group name

int cmd_keygen(const Words& w);
int cmd_sign(const Words& w);
int cmd_verify(const Words& w);
int cmd_hash(const Words& w);
int cmd_trace(const Words& w);
int cmd_remit(const Words& w);
int cmd_guard(const Words& w);
int cmd_node(const Words& w);
int cmd_net(const Words& w);
int cmd_query(const Words& w);
int cmd_pay(const Words& w);
int cmd_account(const Words& w);
int cmd_asset(const Words& w);
int cmd_proof(const Words& w);
int cmd_bench(const Words& w);
int cmd_id(const Words& w);

}  // namespace formica::cli
