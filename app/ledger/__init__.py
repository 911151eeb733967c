"""Day-one import of the station's Excel/CSV ledgers (台账) and one file per person (一人一档).

The package is Qt-free: `reader` turns a file into rows, `fields` knows each module's columns
and their usual Chinese titles, `values` turns cells into typed values (or a plain-words reason),
`mapping` holds the column, value and officer mapping a person chose (`memory` keeps it per station
and file shape), `officers` resolves how ledgers write officers, `importer` runs the whole import
(several sheets, with their history) in one transaction through the record services and `batch`
is its batched path, `template` writes blank ledgers and `export` a view in the same columns, and
`persons_match` scores and merges person files.
"""
