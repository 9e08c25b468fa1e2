// fuzz-deps: formica_iso20022
// read_envelope + validate never crash, hang or throw on hostile input, and they are
// consistent: a located message always gets a report, every finding names a rule, and a
// valid pacs.008 with a UETR maps to a remittance request whose generated pacs.002 reports
// (ACSC and RJCT) are themselves valid and carry the same UETR.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "formica/iso20022/remittance.h"
#include "formica/iso20022/validate.h"

using namespace formica::iso20022;

namespace {

void check_report_of(const std::string& xml, const std::string& uetr) {
  auto env = read_envelope(xml);
  if (!env.ok()) std::abort();
  auto report = validate(*env);
  if (!report.ok() || !report->valid()) std::abort();
  Pacs002 p = read_pacs002(env->document);
  if (p.statuses.size() != 1 || p.statuses[0].original_uetr != uetr) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto env = read_envelope(text);
  if (!env.ok()) return 0;
  auto report = validate(*env);
  if (!report.ok()) std::abort();  // bad input must give findings, never an error
  for (const auto& f : report->findings)
    if (f.rule.empty() || f.text.empty()) std::abort();
  auto again = validate(*env);
  if (!again.ok() || again->findings.size() != report->findings.size()) std::abort();  // deterministic
  if (!report->valid() || env->kind != MessageKind::kPacs008) return 0;
  auto request = to_remittance_request(*env);
  if (!request.ok()) {
    if (request.code() != formica::ErrorCode::kFailedPrecondition) std::abort();  // only "no UETR"
    return 0;
  }
  StatusReportHeader h{"FUZZ-1", "2026-01-01T00:00:00Z", "2026-01-01"};
  auto settled = build_status_report(*request, {RemittanceState::kSettled, "", ""}, h);
  auto rejected =
      build_status_report(*request, {RemittanceState::kRejected, "AM04", ""}, {"FUZZ-2", h.created, ""});
  if (!settled.ok() || !rejected.ok()) std::abort();
  check_report_of(*settled, request->uetr);
  check_report_of(*rejected, request->uetr);
  return 0;
}
