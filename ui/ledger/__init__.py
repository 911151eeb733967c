"""The ledger import wizard (导入台账): file → sheet and header → columns → values → preview → report."""
