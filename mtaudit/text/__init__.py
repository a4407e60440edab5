"""Arabic (and English) text analysis: folding, tokens, morphology, segments, numbers, alignment."""
