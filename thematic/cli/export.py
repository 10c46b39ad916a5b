"""thematic export: the study as a REFI-QDA project (.qdpx), codebook (.qdc) or CSV tables."""
