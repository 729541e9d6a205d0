"""The rules of the domain as pure functions of their arguments (domain.md, in code).

No Flask, no database session, no clock: `today` and the loaded objects are
passed in, so each rule is tested with plain tables of cases. Their SQL
twins, for lists and dashboards, are in tracker.services (status_sql,
reach_sql). `make test` checks these layers with import-linter.
"""
