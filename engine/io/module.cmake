# sources of the io module
target_sources(gridplan PRIVATE)
