# sources of the pipeline module
target_sources(gridplan PRIVATE)
