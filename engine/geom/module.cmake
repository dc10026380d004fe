# geom: adapters for GEOS and PROJ, and geometric operations built on them.
# Add one line per source file; keep GEOS/PROJ includes inside geom/*.cpp.
target_sources(gridplan PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/geos.cpp
  ${CMAKE_CURRENT_LIST_DIR}/boundaries.cpp
  ${CMAKE_CURRENT_LIST_DIR}/prepared.cpp
)
target_sources(gridplan PRIVATE ${CMAKE_CURRENT_LIST_DIR}/crs.cpp)
target_sources(gridplan PRIVATE ${CMAKE_CURRENT_LIST_DIR}/gcj02.cpp)
target_sources(gridplan PRIVATE ${CMAKE_CURRENT_LIST_DIR}/repair.cpp)
target_sources(gridplan PRIVATE ${CMAKE_CURRENT_LIST_DIR}/area_union.cpp)
target_sources(gridplan PRIVATE ${CMAKE_CURRENT_LIST_DIR}/blocks.cpp)
target_sources(gridplan PRIVATE ${CMAKE_CURRENT_LIST_DIR}/voronoi.cpp)
target_sources(gridplan PRIVATE ${CMAKE_CURRENT_LIST_DIR}/boxes.cpp)
target_sources(gridplan PRIVATE ${CMAKE_CURRENT_LIST_DIR}/area_locator.cpp)
