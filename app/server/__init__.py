"""The station server: a station's database on PostgreSQL, shared by several workstations.

The database's second wall (roles, grants, row-level security, the audit guard, change events)
is SQL generated from the policy table and the models in `app.store.rights`, which the PostgreSQL
store applies again after every migration; `setup` applies it first and keeps accounts and
database roles in step; `listen` hands change events to the views; `tls`
makes and pins the server's certificate; `move` copies a station file to a server and verifies it.
"""
