# sources of the graph module
target_sources(gridplan PRIVATE)
