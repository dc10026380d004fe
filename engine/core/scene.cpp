#include "core/scene.hpp"

namespace gridplan::core {

const char* to_string(FacilityKind kind) noexcept {
    switch (kind) {
        case FacilityKind::service_centre:
            return "service_centre";
        case FacilityKind::warm_station:
            return "warm_station";
        case FacilityKind::other:
            return "other";
    }
    return "other";
}

}  // namespace gridplan::core
