import CNcursesw

/// Maps theme colours onto what the terminal has: 256 colours, 16, 8, or none.
enum Palette {
    /// The RGB of an xterm palette index.
    static func rgb(ofIndex index: Int) -> (Int, Int, Int) {
        let basic: [(Int, Int, Int)] = [
            (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
            (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
        ]
        if index < 16 { return basic[max(0, index)] }
        if index < 232 {
            let levels = [0, 95, 135, 175, 215, 255]
            let i = index - 16
            return (levels[i / 36], levels[(i / 6) % 6], levels[i % 6])
        }
        let gray = 8 + (index - 232) * 10
        return (gray, gray, gray)
    }

    /// The index of the nearest palette colour among the first `count`.
    static func nearest(_ color: (Int, Int, Int), among count: Int) -> Int {
        var best = 0
        var bestDistance = Int.max
        for index in 0..<min(count, 256) {
            let c = rgb(ofIndex: index)
            let distance = (c.0 - color.0) * (c.0 - color.0) + (c.1 - color.1) * (c.1 - color.1) + (c.2 - color.2) * (c.2 - color.2)
            if distance < bestDistance {
                bestDistance = distance
                best = index
            }
        }
        return best
    }

    /// An ncurses colour number for a theme colour on a terminal of `colors` colours (-1: the default).
    static func resolve(_ color: ThemeColor, colors: Int) -> Int16 {
        switch color {
        case .default: return -1
        case .index(let index): return Int16(index < colors ? index : nearest(rgb(ofIndex: index), among: min(colors, 16)))
        case .rgb(let r, let g, let b): return Int16(nearest((Int(r), Int(g), Int(b)), among: min(colors, 256)))
        }
    }
}
