"""thematic compare: two analyses of one study side by side."""
