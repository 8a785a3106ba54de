"""Routes for the participant import (filled in with the feature)."""
