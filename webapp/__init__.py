"""Stegvis: the application factory.

create_app(config): config → extensions → i18n → security → assets → blueprints → errors → cli.
Nothing here reads current_app at import time, so tests can build as many apps as they need.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from webapp.config import Config, config_from_env


def create_app(config: type[Config] | None = None, **overrides) -> Flask:
    config = config or config_from_env()
    instance = Path(overrides.get("INSTANCE_PATH", config.INSTANCE_PATH))
    app = Flask(__name__, instance_path=str(instance))
    app.config.from_object(config)
    app.config.update(overrides)
    config.check(app.config)
    if "SQLALCHEMY_ENGINE_OPTIONS" not in overrides:
        from webapp.config import engine_options

        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config["SQLALCHEMY_DATABASE_URI"])
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        instance.mkdir(parents=True, exist_ok=True)

    _init_extensions(app)

    from webapp.i18n import init_i18n

    init_i18n(app)

    from webapp.security import init_security

    init_security(app)

    from webapp.assets import init_assets

    init_assets(app)

    from webapp.htmx import init_htmx

    init_htmx(app)
    _register_blueprints(app)

    from webapp.errors import init_errors

    init_errors(app)

    from webapp.audit import init_audit

    init_audit(app)

    from webapp.templating import init_templating

    init_templating(app)

    from webapp.ops import init_ops

    init_ops(app)  # /healthz, the proxy, the schema check at start

    from webapp.cli import init_cli

    init_cli(app)
    return app


def _init_extensions(app: Flask) -> None:
    from webapp.auth.services import user_for_session
    from webapp.extensions import csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"),
                     render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    from webapp.audit import rate_limit_breached

    # Every rate-limit hit is a security event in the audit log.
    app.config.setdefault("RATELIMIT_ON_BREACH_CALLBACK", rate_limit_breached)
    limiter.init_app(app)
    login_manager.init_app(app)
    # Sessions are server-side records; Flask-Login's own protection would only add confusion.
    login_manager.session_protection = None
    login_manager.user_loader(user_for_session)


def _register_blueprints(app: Flask) -> None:
    from webapp.about import bp as about_bp
    from webapp.activities import bp as activities_bp
    from webapp.auth import bp as auth_bp
    from webapp.coach import bp as coach_bp
    from webapp.comments import bp as comments_bp
    from webapp.exits import bp as exits_bp
    from webapp.leader import bp as leader_bp
    from webapp.participant import bp as participant_bp
    from webapp.plan import bp as plan_bp
    from webapp.pwa import bp as pwa_bp
    from webapp.surveys import bp as surveys_bp
    from webapp.surveys import questionnaires_bp, review_bp

    blueprints = (
        auth_bp,
        about_bp,
        pwa_bp,
        participant_bp,
        plan_bp,
        activities_bp,
        comments_bp,
        coach_bp,
        exits_bp,
        leader_bp,
        surveys_bp,
        review_bp,
        questionnaires_bp,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)

    from webapp.goals import bp as goals_bp
    from webapp.goals import coach_bp as coach_goals_bp

    app.register_blueprint(goals_bp)
    app.register_blueprint(coach_goals_bp)

    from webapp.rights import bp as rights_bp
    from webapp.rights import coach_bp as coach_rights_bp
    from webapp.rights import leader_bp as leader_rights_bp

    app.register_blueprint(rights_bp)
    app.register_blueprint(coach_rights_bp)
    app.register_blueprint(leader_rights_bp)

    from webapp.archive import bp as archive_bp
    from webapp.imports import bp as imports_bp

    app.register_blueprint(archive_bp)
    app.register_blueprint(imports_bp)

    from webapp.consent import bp as consent_bp
    from webapp.consent import coach_bp as consent_coach_bp

    app.register_blueprint(consent_bp)
    app.register_blueprint(consent_coach_bp)

    from webapp.account import bp as account_bp

    app.register_blueprint(account_bp)
