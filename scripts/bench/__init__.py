"""`make bench` (pages under wrk against a bare Flask floor) and `make soak` (locust, 50 users)."""
