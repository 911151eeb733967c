"""Day-one import of the station's Excel/CSV ledgers (台账) and one file per person (一人一档).

The package is Qt-free: `reader` turns a file into rows, `fields` knows each module's columns
and their usual Chinese titles, `values` turns cells into typed values (or a plain-words reason),
`mapping` holds the column and value mapping a person chose, `importer` runs the whole import in
one transaction through the record services, `template` writes blank ledgers, and
`persons_match` scores and merges person files.
"""
