// Every field a style references exists in its layer's schema; every layer has a style.
#include <memory>
#include <regex>
#include <set>
#include <string>

#include <catch2/catch.hpp>
#include <cpl_minixml.h>

#include "output/schema.hpp"
#include "output/styles.hpp"
#include "output/write.hpp"

using namespace gridplan;

namespace {

struct XmlDeleter {
    void operator()(CPLXMLNode* node) const { CPLDestroyXMLNode(node); }
};
using XmlPtr = std::unique_ptr<CPLXMLNode, XmlDeleter>;

XmlPtr parse(std::string_view text) {
    return XmlPtr{CPLParseXMLString(std::string{text}.c_str())};
}

/// Identifiers in double quotes inside a QGIS expression: "field".
void quoted_fields(const std::string& expression, std::set<std::string>& out) {
    static const std::regex quoted{R"re("([^"]+)")re"};
    for (auto it = std::sregex_iterator(expression.begin(), expression.end(), quoted);
         it != std::sregex_iterator();
         ++it) {
        out.insert((*it)[1].str());
    }
}

std::string attribute(const CPLXMLNode* element, const char* name) {
    const char* value = CPLGetXMLValue(element, name, nullptr);
    return value == nullptr ? std::string{} : std::string{value};
}

std::string text_of(const CPLXMLNode* element) {
    for (const CPLXMLNode* child = element->psChild; child != nullptr; child = child->psNext) {
        if (child->eType == CXT_Text) {
            return child->pszValue;
        }
    }
    return {};
}

struct References {
    std::set<std::string> fields;   ///< every field name a style refers to
    std::set<std::string> aliased;  ///< fields named in <alias field=…>
    std::vector<std::pair<std::string, std::string>> aliases;  ///< (field, alias)
    int renderers = 0;
};

void collect(const CPLXMLNode* node, References& refs) {
    for (; node != nullptr; node = node->psNext) {
        if (node->eType != CXT_Element) {
            continue;
        }
        const std::string tag = node->pszValue;
        if (tag == "renderer-v2") {
            ++refs.renderers;
            const std::string attr = attribute(node, "attr");
            if (!attr.empty()) {
                if (attr.find('"') != std::string::npos) {
                    quoted_fields(attr, refs.fields);
                } else {
                    refs.fields.insert(attr);
                }
            }
        } else if (tag == "text-style") {
            const std::string field = attribute(node, "fieldName");
            if (attribute(node, "isExpression") == "1") {
                quoted_fields(field, refs.fields);
            } else if (!field.empty()) {
                refs.fields.insert(field);
            }
        } else if (tag == "rule") {
            const std::string filter = attribute(node, "filter");
            if (filter != "ELSE") {
                quoted_fields(filter, refs.fields);
            }
        } else if (tag == "orderByClause") {
            quoted_fields(text_of(node), refs.fields);
        } else if (tag == "alias") {
            refs.aliased.insert(attribute(node, "field"));
            refs.aliases.emplace_back(attribute(node, "field"), attribute(node, "name"));
        } else if (tag == "se:PropertyName" || tag == "ogc:PropertyName" || tag == "PropertyName") {
            refs.fields.insert(text_of(node));
        }
        collect(node->psChild, refs);
    }
}

References references(std::string_view text) {
    const XmlPtr root = parse(text);
    REQUIRE(root != nullptr);
    References refs;
    collect(root.get(), refs);
    return refs;
}

std::set<std::string> field_names(const output::Layer& layer) {
    std::set<std::string> names;
    for (const auto& field : layer.fields) {
        names.insert(field.name);
    }
    return names;
}

}  // namespace

TEST_CASE("every output layer has an embedded QML style whose fields exist in its schema",
          "[output][styles]") {
    for (const output::Layer& layer : output::schemas()) {
        INFO(layer.name);
        const auto qml = output::embedded_style(layer.name + ".qml");
        REQUIRE(qml.has_value());
        const References refs = references(*qml);
        const auto names = field_names(layer);
        for (const std::string& field : refs.fields) {
            INFO("style field " << field);
            CHECK(names.count(field) == 1);
        }
        // The stored aliases are the schema's (styles/ is regenerated from the schema).
        CHECK(refs.aliased == names);
        for (const auto& [field, alias] : refs.aliases) {
            INFO(field);
            CHECK(alias == output::field_alias(layer.fields[output::field_index(layer, field)]));
        }
        CHECK(refs.renderers == (layer.geometry_type == output::GeometryType::none ? 0 : 1));
    }
}

TEST_CASE("the styles that need one have an SLD whose properties exist in the schema",
          "[output][styles]") {
    for (const char* name :
         {"grids", "building_groups", "service_circles", "coverage_gaps", "proposed_sites"}) {
        INFO(name);
        const auto sld = output::embedded_style(std::string{name} + ".sld");
        REQUIRE(sld.has_value());
        const References refs = references(*sld);
        const auto names = field_names(output::schema(name));
        for (const std::string& field : refs.fields) {
            INFO("sld field " << field);
            CHECK(names.count(field) == 1);
        }
    }
    // Every embedded file belongs to a known layer.
    for (const auto& style : output::embedded_styles()) {
        const std::string file{style.file_name};
        const std::string layer = file.substr(0, file.rfind('.'));
        INFO(file);
        CHECK_NOTHROW(output::schema(layer));
    }
}

TEST_CASE("written QML carries the schema aliases and the style's renderer", "[output][styles]") {
    const std::string qml = output::layer_qml(output::schema("grids"));
    CHECK(qml.find(R"x(<alias index="0" field="code" name="网格编码 grid code (15 digits)"/>)x") !=
          std::string::npos);
    CHECK(qml.find(R"(type="categorizedSymbol" attr="status")") != std::string::npos);
    CHECK(qml.find("labelsEnabled=\"1\"") != std::string::npos);

    // A layer without an embedded style gets a plain style with aliases.
    output::Layer custom;
    custom.name = "custom_points";
    custom.geometry_type = output::GeometryType::point;
    custom.fields = {{"n", output::FieldType::integer, "count", "数量"}};
    const std::string plain = output::layer_qml(custom);
    CHECK(plain.find("SimpleMarker") != std::string::npos);
    CHECK(plain.find(R"(<alias index="0" field="n" name="数量 count"/>)") != std::string::npos);
    CHECK(references(plain).aliased == std::set<std::string>{"n"});
}
