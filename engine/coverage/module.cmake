# sources of the coverage module
target_sources(gridplan PRIVATE)
