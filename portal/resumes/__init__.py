"""Resume parsing as pure functions: text extraction, field extraction, a sandboxed runner."""

from .errors import ResumeError
from .extract import detect_kind
from .parser import PARSER_VERSION, ParsedResume, parse_resume, parse_resume_detailed
from .sandbox import parse_resume_sandboxed

__all__ = [
    "PARSER_VERSION",
    "ParsedResume",
    "ResumeError",
    "detect_kind",
    "parse_resume",
    "parse_resume_detailed",
    "parse_resume_sandboxed",
]
