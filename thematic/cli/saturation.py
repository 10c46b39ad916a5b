"""thematic saturation: the code-discovery curve, honestly framed."""
