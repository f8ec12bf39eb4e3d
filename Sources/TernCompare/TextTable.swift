/// A plain-text table whose columns line up in a monospace terminal. Cells longer than a
/// column's `maxWidth` wrap at spaces (or inside a word longer than the width); wide East Asian
/// characters count as two columns. Control characters in cells are shown as visible symbols
/// (`ControlCharacters`), never sent to the terminal.
public struct TextTable: Sendable {
    public enum Alignment: Sendable { case left, right }

    public var header: [String]
    public var rows: [[String]]
    public var alignments: [Alignment]
    /// The widest a column may be before its cells wrap; nil: never wrap.
    public var maxWidth: Int?

    public init(header: [String], rows: [[String]], alignments: [Alignment]? = nil, maxWidth: Int? = nil) {
        self.header = header
        self.rows = rows
        self.alignments = alignments ?? header.map { _ in .left }
        self.maxWidth = maxWidth
    }

    /// The table: the header, a rule of dashes, then the rows; lines end without trailing spaces.
    public func render() -> String {
        let all = [header] + rows
        let columns = header.count
        let wrapped: [[[String]]] = all.map { row in
            (0..<columns).map { column in
                let cell = ControlCharacters.escaped(column < row.count ? row[column] : "")
                return maxWidth.map { Self.wrap(cell, width: $0) } ?? [cell]
            }
        }
        let widths = (0..<columns).map { column in
            wrapped.flatMap { $0[column] }.map(Self.displayWidth).max() ?? 0
        }
        var lines: [String] = []
        for (index, row) in wrapped.enumerated() {
            let height = row.map(\.count).max() ?? 1
            for line in 0..<height {
                let cells = (0..<columns).map { column -> String in
                    let text = line < row[column].count ? row[column][line] : ""
                    let padding = String(repeating: " ", count: widths[column] - Self.displayWidth(text))
                    return alignments[column] == .right ? padding + text : text + padding
                }
                lines.append(Self.trailingSpacesRemoved(cells.joined(separator: "  ")))
            }
            if index == 0 { lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
        }
        return lines.joined(separator: "\n")
    }

    /// Columns `text` takes in a terminal: 2 for wide East Asian characters and emoji, else 1.
    public static func displayWidth(_ text: String) -> Int {
        text.reduce(0) { total, character in
            guard let scalar = character.unicodeScalars.first?.value else { return total }
            let wide = (0x1100...0x115F).contains(scalar) || (0x2E80...0xA4CF).contains(scalar) || (0xAC00...0xD7A3).contains(scalar)
                || (0xF900...0xFAFF).contains(scalar) || (0xFE30...0xFE4F).contains(scalar) || (0xFF00...0xFF60).contains(scalar)
                || (0xFFE0...0xFFE6).contains(scalar) || (0x1F300...0x1F64F).contains(scalar) || (0x1F900...0x1F9FF).contains(scalar)
                || (0x20000...0x3FFFD).contains(scalar)
            return total + (wide ? 2 : 1)
        }
    }

    /// `text` in lines of at most `width` columns, broken at spaces where possible.
    static func wrap(_ text: String, width: Int) -> [String] {
        guard displayWidth(text) > width, width > 0 else { return [text] }
        var lines: [String] = [], current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            var word = word
            while displayWidth(word) > width {
                if !current.isEmpty { lines.append(current); current = "" }
                var head = ""
                for character in word {
                    if displayWidth(head + String(character)) > width { break }
                    head.append(character)
                }
                if head.isEmpty { head = String(word.first!) }
                lines.append(head)
                word = String(word.dropFirst(head.count))
            }
            if word.isEmpty { continue }
            if current.isEmpty {
                current = word
            } else if displayWidth(current) + 1 + displayWidth(word) <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = word
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }

    private static func trailingSpacesRemoved(_ line: String) -> String {
        var line = line
        while line.hasSuffix(" ") { line.removeLast() }
        return line
    }
}
