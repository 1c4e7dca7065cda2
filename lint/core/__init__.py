"""The text core: findings, the document model, normalisation, Markdown layout, literal prefilters and the
language-pack type. Imports nothing else of healthlint."""
