# sources of the siting module
target_sources(gridplan PRIVATE)
