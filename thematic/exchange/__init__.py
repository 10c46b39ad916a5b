"""Bridges to other programs: REFI-QDA project (.qdpx) and codebook (.qdc) files, and CSV."""
