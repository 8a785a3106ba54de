"""Routes for the project archive (filled in with the feature)."""
