"""thematic agree: agreement between coders, for codebook and coding-reliability studies."""
