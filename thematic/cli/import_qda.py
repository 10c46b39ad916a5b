"""thematic import: a study made from another program's REFI-QDA project or codebook."""
