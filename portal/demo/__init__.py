"""The demo behind `flask --app wsgi seed-demo`: idempotent, realistic, every feature.

The people first, then each feature's seeder in the order their data depends on each other.
"""

from collections.abc import Callable, Iterator

from portal.demo.applications import seed_applications
from portal.demo.assessment import seed_assessment
from portal.demo.automation import seed_automation
from portal.demo.payments import seed_payments
from portal.demo.people import APPLICANTS, DEMO_PASSWORD, seed_people
from portal.demo.postings import seed_postings
from portal.demo.projects import seed_projects
from portal.demo.recruiter_tools import seed_recruiter_tools
from portal.demo.recruiting import seed_recruiting
from portal.demo.resumes import seed_resumes
from portal.demo.work import seed_work
from portal.demo.workpay import seed_work_pay

SEEDERS: list[Callable[[], Iterator[str]]] = [
    seed_people,
    seed_resumes,
    seed_assessment,
    seed_projects,
    seed_postings,
    seed_recruiting,
    seed_applications,  # after the postings and the applicants
    seed_recruiter_tools,
    seed_payments,
    seed_work,
    seed_work_pay,  # on the live project
    seed_automation,
]


def seed_demo() -> Iterator[str]:
    """Run every seeder in order, then say how to sign in."""
    for seeder in SEEDERS:
        yield from seeder()
    yield ""
    yield f"Sign in at http://127.0.0.1:5000/auth/signin — every demo password is {DEMO_PASSWORD}"
    yield "  admin      admin@demo.example"
    yield "  recruiter  recruiter@demo.example"
    for name, email, stage, *_ in APPLICANTS:
        yield f"  applicant  {email:<20} {name} ({stage})"
    yield ""
    yield "JSON API: http://127.0.0.1:5000/api/v1/docs; staff make tokens on their Account page or"
    yield "  flask --app wsgi create-token recruiter@demo.example --scope candidates:read"
