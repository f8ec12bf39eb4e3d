import Foundation
import TestSupport
import Testing

/// The playground at `/` in a real headless Chromium: the page loads, translates the text its
/// address gives, compares the architectures, and the DOM shows the results. Skipped when no
/// Chromium is installed (`bash scripts/test-browser.sh` installs it and runs these tests).
@Suite(.serialized, .enabled(if: Chromium.executable != nil, "Chromium is absent: run scripts/test-browser.sh"))
struct PlaygroundBrowserTests {
    @Test func pageTranslatesAndComparesInTheBrowser() async throws {
        let line = "Two dogs are playing in the snow."
        let expected = try ServeTranslationTests.ternTranslate([line], [])
        let server = try ServerProcess(["--model", "en-de"])
        defer { server.stop() }
        var address = URLComponents(string: "http://127.0.0.1:\(server.port)/")!
        address.queryItems = [URLQueryItem(name: "q", value: line), URLQueryItem(name: "compare", value: "1")]
        let url = address.url!.absoluteString

        let folder = try TemporaryDirectory()
        let dom = try Chromium.run(["--dump-dom", url], profile: folder.file("profile"))
        try #require(dom.exitCode == 0, "\(dom.errorText)")
        let page = dom.outputText
        #expect(page.contains(#"<pre id="output" data-state="done">\#(expected[0])</pre>"#), "\(page.prefix(3000))")
        #expect(page.contains(#"id="comparison" data-state="done""#))
        for mode in ["encdec", "prefix-lm", "causal-lm"] {
            #expect(page.contains("<td>\(mode)</td>"), "the comparison has a row for \(mode)")
        }

        let screenshot = folder.file("playground.png")
        let shot = try Chromium.run(["--screenshot=\(screenshot)", "--window-size=1100,900", url], profile: folder.file("profile"))
        try #require(shot.exitCode == 0, "\(shot.errorText)")
        let png = try Data(contentsOf: URL(fileURLWithPath: screenshot))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 10_000, "a PNG screenshot of the rendered page")
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
