#pragma once
// Where the test data live (set by tests/CMakeLists.txt).

#include <filesystem>
#include <string>

namespace gridplan::test {

inline std::filesystem::path data_dir() { return GRIDPLAN_TEST_DATA_DIR; }
inline std::filesystem::path sample_dir() { return GRIDPLAN_SAMPLE_DIR; }
inline std::filesystem::path source_dir() { return GRIDPLAN_SOURCE_DIR; }

/// A fresh, empty scratch directory under the build tree's temp area.
std::filesystem::path scratch_dir(const std::string& name);

}  // namespace gridplan::test
