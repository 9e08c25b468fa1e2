#pragma once
// Internal: the schema files of src/iso20022/xsd/, compiled into the library by CMake
// (see CMakeLists.txt), so that validation never reads files at run time.

#include <string_view>

namespace formica::iso20022::detail {

// The text of "pacs.008.001.09.xsd", "pacs.002.001.11.xsd" or "head.001.001.02.xsd"; empty
// for any other name.
std::string_view embedded_xsd(std::string_view file_name);

}  // namespace formica::iso20022::detail
