import Foundation
import PitstopText

/// What every overlay draws with: a centred box, and text wrapped to it. The overlays themselves are
/// components in `Overlays/`.
enum OverlayViews {
    /// A centred box of up to `width`×`height`; returns its inner origin and size.
    static func frame(_ title: String, width: Int, height: Int, into buffer: inout CellBuffer) -> (x: Int, y: Int, w: Int, h: Int) {
        let w = min(width, buffer.width - 2)
        let h = min(height, buffer.height - 2)
        let x = (buffer.width - w) / 2
        let y = (buffer.height - h) / 2
        buffer.box(x: x, y: y, width: w, height: h, title: title)
        return (x + 2, y + 1, w - 4, h - 2)
    }

    /// `text` in lines of at most `width` columns, broken where `separator` stands (between words, or between
    /// the double-spaced items of a help line).
    static func wrap(_ text: String, width: Int, separator: String = " ") -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.components(separatedBy: separator) where !word.isEmpty {
            if !line.isEmpty && DisplayWidth.of(line) + DisplayWidth.of(separator) + DisplayWidth.of(word) > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : separator) + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
