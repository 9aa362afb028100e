"""Where and when a saved portal page says it was published: the page's address (the browser's "saved from
url" mark, the canonical link, og:url) and its publication date (the CMS's PubDate/firstpublishedtime meta
tags, or a "发布日期：2020-01-20" line in the page). Word and PDF files carry neither; they give nothing."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

_HTML = (".html", ".htm", ".shtml", ".mht", ".mhtml", ".xhtml")
_SAVED_FROM = re.compile(r"saved from url=\(\d+\)\s*(https?://[^\s>\"']+)", re.I)
_CANONICAL = re.compile(
    r"<link[^>]+rel=[\"']canonical[\"'][^>]*href=[\"']([^\"']+)[\"']|"
    r"<meta[^>]+property=[\"']og:url[\"'][^>]*content=[\"']([^\"']+)[\"']",
    re.I,
)
_META_DATE = re.compile(
    r"<meta[^>]+name=[\"'](?:pubdate|publishdate|firstpublishedtime|articlepubdate|pubtime|publishtime)[\"']"
    r"[^>]*content=[\"']\s*(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})",
    re.I,
)
_TEXT_DATE = re.compile(
    r"(?:发布日期|发布时间|发布于|公开日期|成文日期)\s*[:：]?\s*(?:<[^>]+>\s*)*(\d{4})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})"
)


@dataclass(frozen=True)
class PagePublication:
    date: dt.date | None
    link: str

    @property
    def found(self) -> bool:
        return self.date is not None or bool(self.link)


def _decode(data: bytes) -> str:
    head = data[:4096].decode("ascii", "ignore")
    m = re.search(r"charset\s*=\s*[\"']?\s*([A-Za-z0-9_-]+)", head, re.I)
    for enc in ([m.group(1)] if m else []) + ["utf-8", "gb18030"]:
        try:
            return data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", "replace")


def _date(m: re.Match[str] | None) -> dt.date | None:
    if m is None:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def page_publication(path: str | Path) -> PagePublication:
    """The address and publication date a saved page states (None/"" where it states none)."""
    p = Path(path)
    if p.suffix.lower() not in _HTML:
        return PagePublication(None, "")
    try:
        text = _decode(p.read_bytes()[: 4 * 1024 * 1024])
    except OSError:
        return PagePublication(None, "")
    link = ""
    m = _SAVED_FROM.search(text[:8192])
    if m:
        link = m.group(1)
    else:
        c = _CANONICAL.search(text)
        if c:
            link = (c.group(1) or c.group(2) or "").strip()
    if not link.lower().startswith(("http://", "https://")):
        link = ""
    date = _date(_META_DATE.search(text)) or _date(_TEXT_DATE.search(text))
    return PagePublication(date, link)
