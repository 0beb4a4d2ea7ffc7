"""The contractor's offer pages (/me/offers): offers to answer, guidelines to acknowledge."""

from portal.offers.views import bp

blueprints = [bp]
