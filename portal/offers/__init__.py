"""The contractor's offer pages (/me/offers): offers to answer, guidelines to acknowledge."""

from flask import Blueprint

from portal.auth.roles import restrict_blueprint
from portal.models import Role

bp = Blueprint("offers", __name__, url_prefix="/me/offers")
restrict_blueprint(bp, Role.APPLICANT)


@bp.app_context_processor
def _guideline_banner() -> dict[str, object]:
    """For the banner in every page: a contractor's open offers and unacknowledged guidelines."""

    def pending_guidelines() -> list[tuple[object, object]]:
        from flask_login import current_user

        from portal.projects.services.guidelines import pending_acknowledgements

        if not current_user.is_authenticated or current_user.applicant is None:
            return []
        return pending_acknowledgements(current_user.applicant)

    def open_offers() -> list[object]:
        from flask_login import current_user

        from portal.projects.services.offers import open_offers_for

        if not current_user.is_authenticated or current_user.applicant is None:
            return []
        return open_offers_for(current_user.applicant)

    return {"pending_guidelines": pending_guidelines, "open_offers": open_offers}


from portal.offers import views  # noqa: E402,F401
