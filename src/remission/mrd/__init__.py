"""MRD domain rules: EuroMRD RQ-PCR interpretation and MRD response."""
