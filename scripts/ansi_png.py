"""Render a tmux `capture-pane -e` dump (text with SGR colour escapes) into a PNG, cell by cell.

Used by screenshots.py; fonts: DejaVu Sans Mono, with Nanum Gothic Coding for Hangul, Noto Color Emoji for
emoji (in colour, as terminals show them) and Symbola for the symbols the others lack. Wide characters take
two cells, as in the terminal.
"""
import re
import unicodedata

from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw, ImageFont

CELL_W, CELL_H, FONT_SIZE = 10, 20, 16
FONTS = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    "/usr/share/fonts/truetype/nanum/NanumGothicCoding.ttf",
    "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf",
]
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
# A bitmap font with one size only (109 px); each emoji is drawn at that size and scaled into its two cells.
EMOJI = "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf"
EMOJI_SIZE = 109


def xterm_rgb(index):
    basic = [(0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
             (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255)]
    if index < 16:
        return basic[index]
    if index < 232:
        levels = [0, 95, 135, 175, 215, 255]
        i = index - 16
        return (levels[i // 36], levels[(i // 6) % 6], levels[i % 6])
    g = 8 + (index - 232) * 10
    return (g, g, g)


class Fonts:
    def __init__(self):
        self.emoji = ImageFont.truetype(EMOJI, EMOJI_SIZE)
        self.emoji_cmap = set(TTFont(EMOJI, fontNumber=0).getBestCmap().keys())
        self.faces = [ImageFont.truetype(path, FONT_SIZE) for path in FONTS]
        self.bold = ImageFont.truetype(BOLD, FONT_SIZE)
        self.cmaps = [set(TTFont(path, fontNumber=0).getBestCmap().keys()) for path in FONTS]

    def pick(self, ch, bold):
        code = ord(ch[0])
        for face, cmap in zip(self.faces, self.cmaps):
            if code in cmap:
                return self.bold if bold and face is self.faces[0] else face
        return self.faces[-1]


def is_emoji(ch, fonts):
    code = ord(ch[0])
    return code >= 0x1F000 and code in fonts.emoji_cmap


def paste_emoji(image, ch, left, top, fonts):
    """A colour emoji drawn at the font's one size, then scaled into two cells as a terminal shows it."""
    glyph = Image.new("RGBA", (EMOJI_SIZE + 40, EMOJI_SIZE + 40), (0, 0, 0, 0))
    ImageDraw.Draw(glyph).text((0, 0), ch, font=fonts.emoji, embedded_color=True)
    box = glyph.getbbox()
    if box is None:
        return
    glyph = glyph.crop(box)
    side = CELL_H - 2
    scale = side / max(glyph.width, glyph.height)
    glyph = glyph.resize((max(1, round(glyph.width * scale)), max(1, round(glyph.height * scale))), Image.LANCZOS)
    x = left + (2 * CELL_W - glyph.width) // 2
    y = top + (CELL_H - glyph.height) // 2
    image.paste(glyph, (x, y), glyph)


def width(ch):
    code = ord(ch[0])
    if unicodedata.combining(ch[0]) or code in (0x200B, 0xFE0F):
        return 0
    if unicodedata.east_asian_width(ch[0]) in ("W", "F") or 0x1F300 <= code <= 0x1FAFF:
        return 2
    return 1


SGR = re.compile(r"\x1b\[([0-9;:]*)m")


def parse(dump, cols, rows, default_fg, default_bg):
    """A grid of (char, fg, bg, bold, underline) from the escape-coded dump."""
    grid = [[(" ", default_fg, default_bg, False, False) for _ in range(cols)] for _ in range(rows)]
    for y, line in enumerate(dump.split("\n")[:rows]):
        fg, bg, bold, underline, reverse, dim = None, None, False, False, False, False
        x, pos = 0, 0
        while pos < len(line) and x < cols:
            m = SGR.match(line, pos)
            if m:
                params = [int(p) if p else 0 for p in re.split("[;:]", m.group(1))] or [0]
                i = 0
                while i < len(params):
                    p = params[i]
                    if p == 0:
                        fg, bg, bold, underline, reverse, dim = None, None, False, False, False, False
                    elif p == 1: bold = True
                    elif p == 2: dim = True
                    elif p == 4: underline = True
                    elif p == 7: reverse = True
                    elif p == 22: bold = dim = False
                    elif p == 24: underline = False
                    elif p == 27: reverse = False
                    elif 30 <= p <= 37: fg = xterm_rgb(p - 30)
                    elif 90 <= p <= 97: fg = xterm_rgb(p - 90 + 8)
                    elif p == 39: fg = None
                    elif 40 <= p <= 47: bg = xterm_rgb(p - 40)
                    elif 100 <= p <= 107: bg = xterm_rgb(p - 100 + 8)
                    elif p == 49: bg = None
                    elif p in (38, 48) and i + 1 < len(params):
                        if params[i + 1] == 5 and i + 2 < len(params):
                            color = xterm_rgb(params[i + 2]); i += 2
                        elif params[i + 1] == 2 and i + 4 < len(params):
                            color = tuple(params[i + 2:i + 5]); i += 4
                        else:
                            color = None
                        if p == 38: fg = color
                        else: bg = color
                    i += 1
                pos = m.end()
                continue
            ch = line[pos]
            pos += 1
            if ch == "\x1b":
                continue
            # Combining marks join the previous cell.
            while pos < len(line) and unicodedata.combining(line[pos]):
                ch += line[pos]; pos += 1
            w = width(ch)
            if w == 0:
                continue
            f, b = fg or default_fg, bg or default_bg
            if reverse:
                f, b = b, f
            if dim:
                f = tuple((c + bc) // 2 for c, bc in zip(f, b))
            grid[y][x] = (ch, f, b, bold, underline)
            if w == 2 and x + 1 < cols:
                grid[y][x + 1] = ("", f, b, bold, underline)
            x += w
    return grid


def render(dump, cols, rows, path, light=False):
    default_fg, default_bg = ((20, 20, 20), (250, 250, 250)) if light else ((208, 208, 208), (24, 24, 28))
    grid = parse(dump, cols, rows, default_fg, default_bg)
    fonts = Fonts()
    pad = 12
    image = Image.new("RGB", (cols * CELL_W + 2 * pad, rows * CELL_H + 2 * pad), default_bg)
    draw = ImageDraw.Draw(image)
    # Backgrounds first, then glyphs: a wide character's right half lies over the next cell's background.
    for y, row in enumerate(grid):
        for x, (ch, fg, bg, bold, underline) in enumerate(row):
            left, top = pad + x * CELL_W, pad + y * CELL_H
            if bg != default_bg:
                draw.rectangle([left, top, left + CELL_W - 1, top + CELL_H - 1], fill=bg)
    for y, row in enumerate(grid):
        for x, (ch, fg, bg, bold, underline) in enumerate(row):
            left, top = pad + x * CELL_W, pad + y * CELL_H
            if ch and ch != " ":
                font = fonts.pick(ch, bold)
                if ch in "█▌░▒▓─│╭╮╰╯":
                    draw_block(draw, ch, left, top, fg, bg)
                elif is_emoji(ch, fonts):
                    paste_emoji(image, ch, left, top, fonts)
                else:
                    draw.text((left, top + 1), ch, font=font, fill=fg)
            if underline:
                draw.line([left, top + CELL_H - 2, left + CELL_W, top + CELL_H - 2], fill=fg)
    image.save(path)


def draw_block(draw, ch, left, top, fg, bg):
    """Box-drawing and block characters drawn as shapes, so they join seamlessly between cells."""
    r, b = left + CELL_W - 1, top + CELL_H - 1
    cx, cy = left + CELL_W // 2, top + CELL_H // 2
    if ch == "█":
        draw.rectangle([left, top + 3, r, b - 3], fill=fg)
    elif ch == "▌":
        draw.rectangle([left, top, left + CELL_W // 2 - 1, b], fill=fg)
    elif ch in "░▒▓":
        shade = {"░": 0.25, "▒": 0.5, "▓": 0.75}[ch]
        mixed = tuple(int(f * shade + g * (1 - shade)) for f, g in zip(fg, bg))
        draw.rectangle([left, top + 3, r, b - 3], fill=mixed)
    elif ch == "─":
        draw.line([left, cy, r, cy], fill=fg)
    elif ch == "│":
        draw.line([cx, top, cx, b], fill=fg)
    elif ch == "╭":
        draw.line([cx, cy, r, cy], fill=fg); draw.line([cx, cy, cx, b], fill=fg)
    elif ch == "╮":
        draw.line([left, cy, cx, cy], fill=fg); draw.line([cx, cy, cx, b], fill=fg)
    elif ch == "╰":
        draw.line([cx, top, cx, cy], fill=fg); draw.line([cx, cy, r, cy], fill=fg)
    elif ch == "╯":
        draw.line([cx, top, cx, cy], fill=fg); draw.line([left, cy, cx, cy], fill=fg)
