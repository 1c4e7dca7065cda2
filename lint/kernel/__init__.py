"""The IO-free kernel: validated rule sets, the engine (`lint(text, config, language)`), suppressions and fixes."""
