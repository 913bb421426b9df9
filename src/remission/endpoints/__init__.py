"""Endpoints: time and status from dates, measured from a chosen origin."""
