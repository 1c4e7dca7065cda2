"""The applications: the `healthlint` command line, the runner that builds configurations and lints files, and
`scan` for archives."""
