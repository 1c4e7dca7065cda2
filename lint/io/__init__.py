"""The IO layer: reading articles and archives, project configuration, and loading rule packs, language packs
and the segmenter's cached table."""
