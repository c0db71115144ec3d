"""Text analysis: cleaning, language, sentences and tokens with offsets, lemmas and forms."""
