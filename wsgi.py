"""The only entry point: `flask --app wsgi …` and `gunicorn wsgi:app`."""

from webapp import create_app
from webapp.ops.schema import check_at_start

app = create_app()
check_at_start(app)  # servers refuse a schema that is not at the migrations' head (not `flask db …`)
