/// Makes text safe to print in a terminal table or a Markdown cell: control characters of an
/// input line (ESC sequences, CR, tabs) would move the cursor, break the layout, or let a file
/// send commands to the terminal.
enum ControlCharacters {
    /// `text` with every C0 control character and DEL shown as its Unicode control picture
    /// (ESC → ␛, CR → ␍, tab → ␉, DEL → ␡) and every C1 control character as `<U+0085>`.
    static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x00...0x1F: result.unicodeScalars.append(Unicode.Scalar(0x2400 + scalar.value)!)
            case 0x7F: result.unicodeScalars.append("\u{2421}")
            case 0x80...0x9F: result += "<U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4) + ">"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
