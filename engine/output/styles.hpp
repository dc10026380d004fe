#pragma once
/// \file
/// The QGIS styles of styles/ (*.qml, *.sld), embedded in the binary at build time so an
/// installed gridplan does not need the source tree.

#include <optional>
#include <span>
#include <string_view>

namespace gridplan::output {

/// One embedded style file.
struct EmbeddedStyle {
    std::string_view file_name;  ///< "grids.qml", "grids.sld"
    std::string_view text;       ///< the file's bytes (UTF-8 XML)
};

/// Every embedded style file, sorted by file name.
[[nodiscard]] std::span<const EmbeddedStyle> embedded_styles();

/// The embedded file `file_name` ("grids.qml"), if there is one.
[[nodiscard]] std::optional<std::string_view> embedded_style(std::string_view file_name);

}  // namespace gridplan::output
