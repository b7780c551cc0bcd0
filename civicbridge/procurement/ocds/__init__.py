"""Open Contracting Data Standard 1.1.5: contracts out as release packages and records,
and release packages or records in as contracts (S8).

`validation` checks a package against the official schemas shipped in `schema/`;
`compile` merges a process's releases into its current state; `export` writes a contract
as OCDS. An import reads the file (`reading`), what each process says of its contract
(`terms`), checks it against the contract room's rules (`rules`), finds or adds its
organisations (`organisations`) and writes it (`importer`).
"""
