import PitstopText

/// A plain-text table whose columns stay aligned with wide (Korean, emoji) characters.
struct Table {
    struct Column {
        var title: String
        var alignRight = false
        var maxWidth = 60
    }

    var columns: [Column]
    var rows: [[String]] = []

    init(_ columns: [Column]) { self.columns = columns }

    mutating func add(_ row: [String]) { rows.append(row.map(DisplayWidth.sanitized)) }

    func render() -> String {
        var widths = columns.map { DisplayWidth.of($0.title) }
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = min(columns[index].maxWidth, max(widths[index], DisplayWidth.of(cell)))
            }
        }
        func line(_ cells: [String]) -> String {
            let fitted = cells.enumerated().map { index, cell in
                // The last column is not padded, so lines carry no trailing spaces.
                index == cells.count - 1 && !columns[index].alignRight
                    ? DisplayWidth.truncate(cell, to: widths[index])
                    : DisplayWidth.fit(cell, to: widths[index], alignRight: columns[index].alignRight)
            }
            return fitted.joined(separator: "  ")
        }
        return ([line(columns.map(\.title))] + rows.map(line)).joined(separator: "\n")
    }
}
