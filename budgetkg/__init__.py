"""budgetkg: Chinese department budgets and final accounts as linked data."""
__version__ = "0.1.0"
