import Foundation
import TestSupport
import Testing

/// The playground at `/` in a real headless Chromium: the page loads, translates the text its
/// address gives, compares the architectures with the attention figure of the line, and the
/// DOM shows the results. Skipped when no
/// Chromium is installed (`bash scripts/test-browser.sh` installs it and runs these tests).
@Suite(.serialized, .enabled(if: Chromium.executable != nil, "Chromium is absent: run scripts/test-browser.sh"))
struct PlaygroundBrowserTests {
    @Test func pageTranslatesAndComparesInTheBrowser() async throws {
        let line = "Two dogs are playing in the snow."
        let expected = try ServeTranslationTests.ternTranslate([line], [])
        let folder = try TemporaryDirectory()
        let figure = try ProcessRunner.tern(["compare", "--model", "en-de-multi30k", "--svg", folder.file("figure.svg")], input: line + "\n")
        try #require(figure.exitCode == 0, "\(figure.errorText)")
        let expectedSVG = try String(contentsOfFile: folder.file("figure.svg"), encoding: .utf8)
        let server = try ServerProcess(["--model", "en-de-multi30k"])
        defer { server.stop() }
        var address = URLComponents(string: "http://127.0.0.1:\(server.port)/")!
        address.queryItems = [URLQueryItem(name: "q", value: line), URLQueryItem(name: "compare", value: "1"),
                              URLQueryItem(name: "attention", value: "1")]
        let url = address.url!.absoluteString

        let dom = try Chromium.run(["--dump-dom", url], profile: folder.file("profile"))
        try #require(dom.exitCode == 0, "\(dom.errorText)")
        let page = dom.outputText
        #expect(page.contains(#"<pre id="output" data-state="done">\#(expected[0])</pre>"#), "\(page.prefix(3000))")
        #expect(page.contains(#"id="comparison" data-state="done""#))
        for mode in ["encdec", "prefix-lm", "causal-lm"] {
            #expect(page.contains("<td>\(mode)</td>"), "the comparison has a row for \(mode)")
        }
        // The figure is inline SVG in the page, cell for cell the one `tern compare --svg` draws.
        #expect(page.contains(#"<div id="attention-figure"><svg"#))
        for panel in ["causal-lm", "prefix-lm", "encdec-cross", "encdec-cross-attention", "prefix-lm-attention"] {
            let cells = Self.count(of: #"<rect "#, withAttribute: #"data-panel="\#(panel)""#, in: page)
            let expectedCells = Self.count(of: #"<rect "#, withAttribute: #"data-panel="\#(panel)""#, in: expectedSVG)
            #expect(cells == expectedCells && cells > 0, "\(panel): \(cells) cells in the page, \(expectedCells) in tern compare --svg")
        }
        let sequence = Self.count(of: #"<rect "#, withAttribute: #"data-panel="causal-lm" data-row="0""#, in: page)
        #expect(Self.count(of: #"<rect "#, withAttribute: #"data-panel="causal-lm""#, in: page) == sequence * sequence,
                "the causal mask is square: one row and one column per position")

        let screenshot = folder.file("playground.png")
        let shot = try Chromium.run(["--screenshot=\(screenshot)", "--window-size=1100,2000", url], profile: folder.file("profile"))
        try #require(shot.exitCode == 0, "\(shot.errorText)")
        let png = try Data(contentsOf: URL(fileURLWithPath: screenshot))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 10_000, "a PNG screenshot of the rendered page")
    }

    /// The number of elements opened by `tag` in `markup` that carry `attribute` (exact text).
    static func count(of tag: String, withAttribute attribute: String, in markup: String) -> Int {
        markup.components(separatedBy: tag).dropFirst().filter { $0.prefix { $0 != ">" }.contains(attribute) }.count
    }
}

/// Debian's headless Chromium.
enum Chromium {
    static let executable: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs Chromium headless on `arguments`, letting the page run its requests (up to 60 s of virtual time).
    static func run(_ arguments: [String], profile: String) throws -> ProcessRunner.Result {
        try ProcessRunner.run(executable!, ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
                                            "--virtual-time-budget=60000", "--user-data-dir=\(profile)"] + arguments)
    }
}
