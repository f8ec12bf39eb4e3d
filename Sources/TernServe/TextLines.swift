/// Texts cut into the lines the engine translates, and put back together: a text with line
/// breaks is translated line by line (a CRLF line without its `\r`, as `tern translate` reads
/// it) and its translation keeps the breaks.
struct TextLines {
    /// Every line of every text, in order.
    let lines: [String]
    /// How many of `lines` each text has.
    private let counts: [Int]

    init(_ texts: [String]) {
        var lines: [String] = [], counts: [Int] = []
        for text in texts {
            let parts = text.split(separator: "\n", omittingEmptySubsequences: false).map { part in
                part.hasSuffix("\r") ? String(part.dropLast()) : String(part)
            }
            lines += parts
            counts.append(parts.count)
        }
        self.lines = lines
        self.counts = counts
    }

    /// The texts again, from one translation per line of `lines`.
    func texts(from translatedLines: [String]) -> [String] {
        var start = 0
        return counts.map { count in
            defer { start += count }
            return translatedLines[start..<start + count].joined(separator: "\n")
        }
    }
}
