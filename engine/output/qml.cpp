// QML styles written with each layer: the embedded style with aliases from the schema.
#include <string>

#include "core/error.hpp"
#include "output/schema.hpp"
#include "output/styles.hpp"
#include "output/write.hpp"
#include "output/writers_detail.hpp"

namespace gridplan::output {
namespace {

std::string aliases_xml(const Layer& layer) {
    std::string out = "<aliases>\n";
    for (std::size_t i = 0; i < layer.fields.size(); ++i) {
        out += "    <alias index=\"" + std::to_string(i) + "\" field=\"" +
               detail::xml_escape(layer.fields[i].name) + "\" name=\"" +
               detail::xml_escape(field_alias(layer.fields[i])) + "\"/>\n";
    }
    out += "  </aliases>";
    return out;
}

std::string symbol_xml(GeometryType type) {
    switch (type) {
        case GeometryType::point:
            return R"(<symbol type="marker" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="31,120,180,255"/>
            <Option name="name" type="QString" value="circle"/>
            <Option name="outline_color" type="QString" value="255,255,255,255"/>
            <Option name="size" type="QString" value="2.6"/>
          </Option>
        </layer>
      </symbol>)";
        case GeometryType::line:
            return R"(<symbol type="line" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleLine" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="line_color" type="QString" value="31,120,180,255"/>
            <Option name="line_width" type="QString" value="0.5"/>
          </Option>
        </layer>
      </symbol>)";
        case GeometryType::polygon:
            return R"(<symbol type="fill" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="166,206,227,160"/>
            <Option name="outline_color" type="QString" value="31,120,180,255"/>
            <Option name="outline_width" type="QString" value="0.3"/>
            <Option name="style" type="QString" value="solid"/>
          </Option>
        </layer>
      </symbol>)";
        case GeometryType::none:
            break;
    }
    return {};
}

/// A plain style for layers without an embedded one.
std::string default_qml(GeometryType type) {
    std::string out =
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
        "<qgis version=\"3.22.0\" styleCategories=\"Symbology|Fields\">\n";
    if (type != GeometryType::none) {
        out +=
            "  <renderer-v2 type=\"singleSymbol\" forceraster=\"0\" symbollevels=\"0\" "
            "enableorderby=\"0\">\n    <symbols>\n      " +
            symbol_xml(type) + "\n    </symbols>\n  </renderer-v2>\n";
    }
    out += "  <aliases/>\n</qgis>\n";
    return out;
}

}  // namespace

std::string layer_qml(const Layer& layer) {
    const auto embedded = embedded_style(layer.name + ".qml");
    std::string qml = embedded ? std::string{*embedded} : default_qml(layer.geometry_type);
    const std::string aliases = aliases_xml(layer);
    const auto begin = qml.find("<aliases");
    if (begin != std::string::npos) {
        const auto tag_end = qml.find('>', begin);
        core::require_invariant(tag_end != std::string::npos, "style has an unclosed <aliases");
        std::size_t end = tag_end + 1;
        if (qml[tag_end - 1] != '/') {
            const auto close = qml.find("</aliases>", tag_end);
            core::require_invariant(close != std::string::npos, "style has no </aliases>");
            end = close + std::string_view{"</aliases>"}.size();
        }
        qml.replace(begin, end - begin, aliases);
    } else {
        const auto close = qml.rfind("</qgis>");
        core::require_invariant(close != std::string::npos, "style has no </qgis>");
        qml.insert(close, "  " + aliases + "\n");
    }
    return qml;
}

}  // namespace gridplan::output
