"""The analysis layer: scopes, claims, evidence and study results, computed per document from its language pack.

IO-free: every word list and pattern comes from the `LanguagePack` the document was built with.
"""
