import Foundation

/// A minimal SVG writer: elements are appended as text, coordinates in pixels.
public struct SVGCanvas: Sendable {
    public enum Anchor: String, Sendable { case start, middle, end }

    private var elements: [String] = []
    public let fontFamily: String

    public init(fontFamily: String = "DejaVu Sans, Verdana, sans-serif") {
        self.fontFamily = fontFamily
    }

    /// A rectangle; `attributes` are appended as they are (already escaped).
    public mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String,
                              stroke: String? = nil, attributes: String = "") {
        var element = "<rect x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" fill=\"\(fill)\""
        if let stroke { element += " stroke=\"\(stroke)\" stroke-width=\"0.5\"" }
        if !attributes.isEmpty { element += " " + attributes }
        elements.append(element + "/>")
    }

    public mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1) {
        elements.append("<line x1=\"\(Self.number(x1))\" y1=\"\(Self.number(y1))\" x2=\"\(Self.number(x2))\" y2=\"\(Self.number(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(Self.number(width))\"/>")
    }

    /// Text at (`x`, `y`), the baseline; `rotation` in degrees about that point.
    public mutating func text(_ string: String, x: Double, y: Double, size: Double, anchor: Anchor = .start,
                              rotation: Double = 0, bold: Bool = false, italic: Bool = false, fill: String = "#222") {
        var element = "<text x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" font-size=\"\(Self.number(size))\" text-anchor=\"\(anchor.rawValue)\" fill=\"\(fill)\""
        if bold { element += " font-weight=\"bold\"" }
        if italic { element += " font-style=\"italic\"" }
        if rotation != 0 { element += " transform=\"rotate(\(Self.number(rotation)) \(Self.number(x)) \(Self.number(y)))\"" }
        elements.append(element + ">\(Self.escape(string))</text>")
    }

    /// A vertical linear gradient `id` from `bottom` to `top` colours through `stops` (offset 0…1 → colour).
    public mutating func verticalGradient(id: String, stops: [(Double, String)]) {
        let inner = stops.map { "<stop offset=\"\(Self.number($0.0))\" stop-color=\"\($0.1)\"/>" }.joined()
        elements.append("<defs><linearGradient id=\"\(id)\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">\(inner)</linearGradient></defs>")
    }

    /// The whole document.
    public func document(width: Double, height: Double) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Self.number(width))" height="\(Self.number(height))" \
        viewBox="0 0 \(Self.number(width)) \(Self.number(height))" font-family="\(fontFamily)">
        <rect x="0" y="0" width="\(Self.number(width))" height="\(Self.number(height))" fill="#ffffff"/>
        \(elements.joined(separator: "\n"))
        </svg>

        """
    }

    /// Text escaped for XML content and attribute values.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            default:
                // Control characters are not allowed in XML 1.0.
                if let scalar = character.unicodeScalars.first, scalar.value < 0x20, character != "\t" { escaped += "?" } else { escaped.append(character) }
            }
        }
        return escaped
    }

    /// A coordinate with at most two decimals and no trailing zeros.
    static func number(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.2f", rounded).replacingOccurrences(of: #"0+$"#, with: "", options: .regularExpression)
    }
}
