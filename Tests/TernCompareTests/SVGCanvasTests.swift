import Foundation
import TernCompare
import TestSupport
import Testing

/// The SVG writer's text is user text (the sentence and its tokens): whatever it holds, an XML
/// parser reads it back as the same text, and it never becomes markup.
@Suite struct SVGCanvasTests {
    @Test("text with markup, entities, quotes and control characters comes back as text", arguments: [
        #"<script>alert("x")</script>"#,
        "Tom & Jerry's <b>cat</b> &amp; &lt;",
        "▁<sep> </s> <unk> ]]> <!-- -->",
        "tab\there, bell\u{07}, escape\u{1B}[31m",
    ])
    func textIsEscaped(text: String) throws {
        var canvas = SVGCanvas()
        canvas.text(text, x: 10, y: 20, size: 12)
        let document = try #require(SVGContents(canvas.document(width: 100, height: 40)), "well-formed XML")
        #expect(document.elements == ["svg", "rect", "text"])
        // XML 1.0 cannot hold C0 control characters other than tab, line feed and carriage return.
        let expected = String(text.map { $0.unicodeScalars.first!.value < 0x20 && $0 != "\t" ? "?" : $0 })
        #expect(document.texts == [expected])
    }
}
