// Wide-character ncurses for Swift: the feature macros curses.h needs for the *_wch and *wstr functions,
// and small inline wrappers for what Swift cannot import (macros and attribute constants).
#ifndef PITSTOP_CNCURSESW_SHIM_H
#define PITSTOP_CNCURSESW_SHIM_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <unistd.h>
#include <wchar.h>
#include <ncursesw/curses.h>

static inline WINDOW *pitstop_stdscr(void) { return stdscr; }
static inline int pitstop_lines(void) { return LINES; }
static inline int pitstop_cols(void) { return COLS; }
static inline int pitstop_colors(void) { return COLORS; }
static inline int pitstop_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t pitstop_a_bold(void) { return A_BOLD; }
static inline attr_t pitstop_a_dim(void) { return A_DIM; }
static inline attr_t pitstop_a_reverse(void) { return A_REVERSE; }
static inline attr_t pitstop_a_underline(void) { return A_UNDERLINE; }
static inline attr_t pitstop_a_normal(void) { return A_NORMAL; }
static inline int pitstop_key_f(int n) { return KEY_F(n); }
static inline mmask_t pitstop_all_mouse_events(void) { return ALL_MOUSE_EVENTS | REPORT_MOUSE_POSITION; }
static inline mmask_t pitstop_button1_clicked(void) { return BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED; }
static inline mmask_t pitstop_wheel_up(void) { return BUTTON4_PRESSED; }
static inline mmask_t pitstop_wheel_down(void) {
#ifdef BUTTON5_PRESSED
    return BUTTON5_PRESSED;
#else
    return 0;
#endif
}

/// Writes one cell: a wide character (with combining marks) in a colour pair and attributes.
static inline int pitstop_put_cell(int y, int x, const wchar_t *chars, int count, attr_t attrs, short pair) {
    cchar_t cell;
    wchar_t buffer[CCHARW_MAX + 1];
    int n = count < CCHARW_MAX ? count : CCHARW_MAX;
    for (int i = 0; i < n; i++) buffer[i] = chars[i];
    buffer[n] = L'\0';
    if (setcchar(&cell, buffer, attrs, pair, NULL) != OK) return ERR;
    return mvadd_wch(y, x, &cell);
}

/// newterm on the standard streams: unlike initscr, it returns NULL for an unknown terminal instead of exiting.
static inline SCREEN *pitstop_newterm(void) { return newterm(NULL, stdout, stdin); }

/// For a crash handler, where endwin() is not allowed (it is not async-signal-safe): leave the alternate
/// screen, reset attributes and show the cursor with write(2), which is. The sequences are the xterm ones
/// that every terminal Pitstop supports understands; a terminal that ignores them is no worse off.
static inline void pitstop_restore_terminal_after_crash(void) {
    static const char sequence[] = "\033[?1049l\033[0m\033[?25h\033[?1000l\033[?1006l\r\n";
    ssize_t ignored = write(1, sequence, sizeof sequence - 1);
    (void)ignored;
}

#endif
