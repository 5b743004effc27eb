"""Shipped reference data and its loaders."""
