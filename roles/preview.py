"""The link-preview image of a role page (og:image): a 1200×630 PNG card with the role's
title, family, pay span and top skills, drawn with Pillow. Link previews (WhatsApp,
LinkedIn, X) take PNG or JPEG, not SVG."""

import io
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from salaries.formatting import pay_span

SIZE = (1200, 630)
MARGIN = 80
INK, MUTED, ACCENT, TINT = "#1b1f24", "#4a5360", "#0b5cad", "#f3f6f9"  # static/css/site.css
# Debian's fonts-dejavu-core, or fonts-liberation, when installed: both have the rupee sign.
FONT_FILES = {
    "bold": [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    ],
    "regular": [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    ],
}
# Pillow's own scalable font (Aileron, Pillow 10.1 and later), for a machine with neither,
# has no rupee sign or en dash: pay is spelt with what it has.
FALLBACK_SPELLING = str.maketrans({"₹": "Rs ", "–": "-"})


@cache
def font(weight: str, size: int) -> tuple[ImageFont.FreeTypeFont, bool]:
    """A font of ``weight`` at ``size`` pixels, and whether it is the fallback."""
    for path in FONT_FILES[weight]:
        if Path(path).exists():
            return ImageFont.truetype(path, size), False
    return ImageFont.load_default(size=size), True


def write(draw, xy, text: str, weight: str, size: int, fill: str, *, max_width: int, lines=2):
    """Draw ``text`` from ``xy``, wrapped to ``max_width`` in at most ``lines`` lines (the
    last one cut with an ellipsis); returns the y below it."""
    typeface, is_fallback = font(weight, size)
    if is_fallback:
        text = text.translate(FALLBACK_SPELLING)
    wrapped, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if typeface.getlength(candidate) <= max_width or not current:
            current = candidate
        else:
            wrapped.append(current)
            current = word
    wrapped.append(current)
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        while wrapped[-1] and typeface.getlength(wrapped[-1] + "…") > max_width:
            wrapped[-1] = wrapped[-1][:-1]
        wrapped[-1] = wrapped[-1].rstrip() + "…"
    x, y = xy
    for line in wrapped:
        draw.text((x, y), line, font=typeface, fill=fill)
        y += round(size * 1.25)
    return y


def _blank_card() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    """A white card with the site's accent bar along its top, both cards' starting point."""
    image = Image.new("RGB", SIZE, "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([(0, 0), (SIZE[0], 16)], fill=ACCENT)
    return image, draw


def _png(image: Image.Image) -> bytes:
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()


def role_preview_png(role) -> bytes:
    """The card for ``role``, read with its family, pay span (salaries.models.pay_summary)
    and ``top_skills`` (skills.models.top_skills), as PNG bytes."""
    image, draw = _blank_card()
    width = SIZE[0] - 2 * MARGIN
    draw.rectangle([(0, SIZE[1] - 110), SIZE], fill=TINT)
    y = write(draw, (MARGIN, 70), role.family.name, "regular", 34, MUTED, max_width=width, lines=1)
    y = write(draw, (MARGIN, y + 14), role.title, "bold", 72, INK, max_width=width)
    if role.pay_minimum is not None:
        y = write(
            draw,
            (MARGIN, y + 20),
            f"Pay: {pay_span(role)} a year",
            "bold",
            42,
            ACCENT,
            max_width=width,
            lines=1,
        )
    skills = ", ".join(item.skill.name for item in role.top_skills)
    if skills:
        write(
            draw,
            (MARGIN, y + 16),
            f"Top skills: {skills}",
            "regular",
            34,
            MUTED,
            max_width=width,
            lines=2,
        )
    write(
        draw,
        (MARGIN, SIZE[1] - 82),
        "Jobsite · what the job really involves",
        "bold",
        34,
        INK,
        max_width=width,
        lines=1,
    )
    return _png(image)


def site_preview_png() -> bytes:
    """The card for every other page (static/img/preview.png, made by this function)."""
    image, draw = _blank_card()
    width = SIZE[0] - 2 * MARGIN
    y = write(draw, (MARGIN, 170), "Jobsite", "bold", 110, INK, max_width=width, lines=1)
    write(
        draw,
        (MARGIN, y + 20),
        "What jobs really involve: responsibilities, skills, qualifications and pay by "
        "experience, with the source of every figure.",
        "regular",
        40,
        MUTED,
        max_width=width,
        lines=3,
    )
    return _png(image)
