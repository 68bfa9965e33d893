"""Extraction: files in, typed records and RDF quads out. Never imports budgetkg.graph."""
