import Foundation
import PitstopCore
import PitstopText

/// Shown below the minimum size instead of a broken layout.
enum TooSmallView {
    static func draw(width: Int, height: Int, minimumWidth: Int, minimumHeight: Int, into buffer: inout CellBuffer) {
        let lines = [
            "Terminal too small",
            "\(width)×\(height), needs \(minimumWidth)×\(minimumHeight)",
            "Enlarge the window · q quits",
        ]
        let top = max(0, (buffer.height - lines.count) / 2)
        for (index, line) in lines.enumerated() {
            let x = max(0, (buffer.width - DisplayWidth.of(line)) / 2)
            buffer.put(line, x: x, y: top + index, style: Style(index == 0 ? .error : .text, bold: index == 0))
        }
    }
}
