"""GET /ui: the web page (static files of app/ui, no CDN, no build step), for people learning or checking."""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse, Response

router = APIRouter(include_in_schema=False)

#: The page's files and their media types; nothing else is served from the folder.
ASSETS = {
    "app.js": "text/javascript; charset=utf-8",
    "charts.js": "text/javascript; charset=utf-8",
    "style.css": "text/css; charset=utf-8",
}
#: The page talks only to its own origin; no script, style, font or image from anywhere else.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'"
)
HEADERS = {"Content-Security-Policy": CSP, "Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}


def _read(name: str) -> bytes:
    package = (__package__ or "app.api").rpartition(".")[0]
    return resources.files(package).joinpath("ui", name).read_bytes()


@router.get("/ui", response_class=HTMLResponse)
async def ui_page() -> Response:
    return Response(_read("index.html"), media_type="text/html; charset=utf-8", headers=HEADERS)


@router.get("/ui/{name}")
async def ui_asset(name: str) -> Response:
    if name not in ASSETS:
        raise HTTPException(404, f"no such file: {name}")
    return Response(_read(name), media_type=ASSETS[name], headers=HEADERS)
