"""The Jinja2 environment shared by every page."""

from pathlib import Path

from fastapi import Request
from fastapi.templating import Jinja2Templates

from domain import wording
from domain.money import format_cents
from mock_site.web.deps import SUBMISSION_FIELD
from mock_site.web.security import (
    CSRF_FIELD,
    coach_on,
    csrf_token,
    pop_flashes,
    submission_key,
)

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
# Compiled once per process: no modification-time check of every template a page extends,
# includes or imports on each request (edit a template, restart the server).
templates.env.auto_reload = False
templates.env.filters["money"] = format_cents
templates.env.filters["when"] = lambda dt: dt.strftime("%b %-d, %Y %H:%M") if dt else ""
templates.env.filters["day"] = lambda dt: dt.strftime("%b %-d, %Y") if dt else ""
templates.env.globals["csrf_field"] = CSRF_FIELD
templates.env.globals["csrf_token"] = csrf_token
templates.env.globals["pop_flashes"] = pop_flashes
templates.env.globals["submission_field"] = SUBMISSION_FIELD
templates.env.globals["submission_key"] = submission_key
# The rules' sentences, spelled once for pages, the guide and the flows alike.
templates.env.globals["wording"] = wording


templates.env.globals["coach_on"] = coach_on


def render(request: Request, name: str, status_code: int = 200, **context):
    return templates.TemplateResponse(request, name, context, status_code=status_code)
