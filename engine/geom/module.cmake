# geom: adapters for GEOS, PROJ and nanoflann, and geometric operations built on them.
# Add one line per source file; keep GEOS/PROJ/nanoflann includes inside geom/*.cpp.
target_sources(gridplan PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/geos.cpp
)
