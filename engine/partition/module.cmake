# sources of the partition module
target_sources(gridplan PRIVATE)
