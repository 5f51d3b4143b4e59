"""The penalties pages, one module per area: penalties, the fine ledger, the records."""
