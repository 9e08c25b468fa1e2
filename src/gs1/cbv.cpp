// Term lists copied from the EPCIS 2.0 JSON-LD context (ref.gs1.org/standards/epcis/2.0.0/
// epcis-context.jsonld, GS1 standard artefact): the context is the normative list of bare words.
#include "cbv.h"

namespace formica::gs1::cbv {
namespace {

constexpr std::string_view kBizSteps[] = {"accepting",
                                          "arriving",
                                          "assembling",
                                          "collecting",
                                          "commissioning",
                                          "consigning",
                                          "creating_class_instance",
                                          "cycle_counting",
                                          "decommissioning",
                                          "departing",
                                          "destroying",
                                          "disassembling",
                                          "dispensing",
                                          "encoding",
                                          "entering_exiting",
                                          "holding",
                                          "inspecting",
                                          "installing",
                                          "killing",
                                          "loading",
                                          "other",
                                          "packing",
                                          "picking",
                                          "receiving",
                                          "removing",
                                          "repackaging",
                                          "repairing",
                                          "replacing",
                                          "reserving",
                                          "retail_selling",
                                          "sampling",
                                          "sensor_reporting",
                                          "shipping",
                                          "staging_outbound",
                                          "stock_taking",
                                          "stocking",
                                          "storing",
                                          "transporting",
                                          "unloading",
                                          "unpacking",
                                          "void_shipping"};
constexpr std::string_view kDispositions[] = {"active",
                                              "available",
                                              "completeness_verified",
                                              "completeness_inferred",
                                              "conformant",
                                              "container_closed",
                                              "container_open",
                                              "damaged",
                                              "destroyed",
                                              "dispensed",
                                              "disposed",
                                              "encoded",
                                              "expired",
                                              "in_progress",
                                              "in_transit",
                                              "inactive",
                                              "mismatch_instance",
                                              "mismatch_class",
                                              "mismatch_quantity",
                                              "needs_replacement",
                                              "no_pedigree_match",
                                              "non_conformant",
                                              "non_sellable_other",
                                              "partially_dispensed",
                                              "recalled",
                                              "reserved",
                                              "retail_sold",
                                              "returned",
                                              "sellable_accessible",
                                              "sellable_not_accessible",
                                              "stolen",
                                              "unavailable",
                                              "unknown"};
constexpr std::string_view kBtts[] = {"bol",       "cert",   "desadv", "inv",     "pedigree", "po",   "poc",
                                      "prodorder", "recadv", "rma",    "testprd", "testres",  "upevt"};
constexpr std::string_view kSdts[] = {"owning_party", "possessing_party", "location"};
constexpr std::string_view kReasons[] = {"did_not_occur", "incorrect_data"};
constexpr std::string_view kMeasurements[] = {"AbsoluteHumidity",
                                              "AbsorbedDose",
                                              "AbsorbedDoseRate",
                                              "Acceleration",
                                              "Radioactivity",
                                              "Altitude",
                                              "AmountOfSubstance",
                                              "AmountOfSubstancePerUnitVolume",
                                              "Angle",
                                              "AngularAcceleration",
                                              "AngularMomentum",
                                              "AngularVelocity",
                                              "Area",
                                              "Capacitance",
                                              "Conductance",
                                              "Conductivity",
                                              "Count",
                                              "Density",
                                              "Dimensionless",
                                              "DoseEquivalent",
                                              "DoseEquivalentRate",
                                              "DynamicViscosity",
                                              "ElectricCharge",
                                              "ElectricCurrent",
                                              "ElectricCurrentDensity",
                                              "ElectricFieldStrength",
                                              "Energy",
                                              "Exposure",
                                              "Force",
                                              "Frequency",
                                              "Illuminance",
                                              "Inductance",
                                              "Irradiance",
                                              "KinematicViscosity",
                                              "Length",
                                              "LinearMomentum",
                                              "Luminance",
                                              "LuminousFlux",
                                              "LuminousIntensity",
                                              "MagneticFlux",
                                              "MagneticFluxDensity",
                                              "MagneticVectorPotential",
                                              "Mass",
                                              "MassConcentration",
                                              "MassFlowRate",
                                              "MassPerAreaTime",
                                              "MemoryCapacity",
                                              "MolalityOfSolute",
                                              "MolarEnergy",
                                              "MolarMass",
                                              "MolarVolume",
                                              "Power",
                                              "Pressure",
                                              "RadiantFlux",
                                              "RadiantIntensity",
                                              "RelativeHumidity",
                                              "Resistance",
                                              "Resistivity",
                                              "SolidAngle",
                                              "SpecificVolume",
                                              "Speed",
                                              "SurfaceDensity",
                                              "SurfaceTension",
                                              "Temperature",
                                              "Time",
                                              "Torque",
                                              "Voltage",
                                              "Volume",
                                              "VolumeFlowRate",
                                              "VolumeFraction",
                                              "VolumetricFlux",
                                              "Wavenumber"};
constexpr std::string_view kAlerts[] = {"ALARM_CONDITION", "ERROR_CONDITION"};
constexpr std::string_view kComponents[] = {"x",
                                            "y",
                                            "z",
                                            "axial_distance",
                                            "azimuth",
                                            "height",
                                            "spherical_radius",
                                            "polar_angle",
                                            "elevation_angle",
                                            "easting",
                                            "northing",
                                            "latitude",
                                            "longitude",
                                            "altitude"};

struct VocabInfo {
  std::string_view base;  // namespace + term prefix
  const std::string_view* terms;
  std::size_t count;
};

template <std::size_t N>
VocabInfo info(std::string_view base, const std::string_view (&a)[N]) {
  return {base, a, N};
}

VocabInfo vocab_info(Vocab v) {
  switch (v) {
    case Vocab::kBizStep: return info("https://ref.gs1.org/cbv/BizStep-", kBizSteps);
    case Vocab::kDisposition: return info("https://ref.gs1.org/cbv/Disp-", kDispositions);
    case Vocab::kBizTransType: return info("https://ref.gs1.org/cbv/BTT-", kBtts);
    case Vocab::kSourceDestType: return info("https://ref.gs1.org/cbv/SDT-", kSdts);
    case Vocab::kErrorReason: return info("https://ref.gs1.org/cbv/ER-", kReasons);
    case Vocab::kMeasurementType: return info("https://gs1.org/voc/", kMeasurements);
    case Vocab::kAlertType: return info("https://gs1.org/voc/", kAlerts);
    case Vocab::kComponent: return info("https://ref.gs1.org/cbv/Comp-", kComponents);
  }
  return info("", kAlerts);
}

bool contains(const VocabInfo& v, std::string_view term) {
  for (std::size_t i = 0; i < v.count; ++i)
    if (v.terms[i] == term) return true;
  return false;
}

}  // namespace

std::optional<std::string> expand_bare(Vocab vocab, std::string_view term) {
  VocabInfo v = vocab_info(vocab);
  if (!contains(v, term)) return std::nullopt;
  return std::string(v.base) + std::string(term);
}

std::optional<bool> is_standard_uri(Vocab vocab, std::string_view uri) {
  VocabInfo v = vocab_info(vocab);
  if (!uri.starts_with(v.base)) return std::nullopt;
  std::string_view term = uri.substr(v.base.size());
  // EPCIS 1.2-era measurement types were spelled "MT-Temperature"; accept both spellings.
  if (vocab == Vocab::kMeasurementType && term.starts_with("MT-")) term.remove_prefix(3);
  if (vocab == Vocab::kAlertType && term.starts_with("AT-")) term.remove_prefix(3);
  return contains(v, term);
}

std::string expand_curie(std::string_view value) {
  if (value.starts_with("gs1:")) return std::string(kGs1Voc) + std::string(value.substr(4));
  if (value.starts_with("cbv:")) return std::string(kCbv) + std::string(value.substr(4));
  return std::string(value);
}

std::string urn_to_web_uri(std::string_view value) {
  static constexpr std::pair<std::string_view, std::string_view> kMap[] = {
      {"urn:epcglobal:cbv:bizstep:", "https://ref.gs1.org/cbv/BizStep-"},
      {"urn:epcglobal:cbv:disp:", "https://ref.gs1.org/cbv/Disp-"},
      {"urn:epcglobal:cbv:btt:", "https://ref.gs1.org/cbv/BTT-"},
      {"urn:epcglobal:cbv:sdt:", "https://ref.gs1.org/cbv/SDT-"},
      {"urn:epcglobal:cbv:er:", "https://ref.gs1.org/cbv/ER-"},
  };
  std::string out(value);
  if (out.find("urn:epcglobal:cbv:") == std::string::npos) return out;
  for (const auto& [from, to] : kMap) {
    std::size_t pos = 0;
    while ((pos = out.find(from, pos)) != std::string::npos) {
      out.replace(pos, from.size(), to);
      pos += to.size();
    }
  }
  return out;
}

}  // namespace formica::gs1::cbv
