import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The element names and the text of each `<text>` element of an SVG, as `XMLParser` reads them.
public final class SVGContents: NSObject, XMLParserDelegate {
    public private(set) var elements: Set<String> = []
    public private(set) var texts: [String] = []
    private var current: String?

    /// Nil when `svg` is not well-formed XML.
    public init?(_ svg: String) {
        super.init()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = self
        guard parser.parse() else { return nil }
    }

    public func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                              attributes: [String: String] = [:]) {
        elements.insert(name)
        if name == "text" { current = "" }
    }

    public func parser(_ parser: XMLParser, foundCharacters string: String) {
        current? += string
    }

    public func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text", let current { texts.append(current) }
        if name == "text" { current = nil }
    }
}
