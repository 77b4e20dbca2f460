// PitstopTUI: the terminal face of Pitstop. Views render into a cell buffer that a backend flushes to
// ncursesw. This first part holds text measurement shared with the command line's tables: how many
// terminal columns a string takes, and how to fit or pad it without cutting a character in half.
