"""Supplies (应急物资储备): catalogue, depots, lots, the ledger, norms and readiness."""
