import Foundation
import TestSupport
import Testing

/// `POST /v1/compare` against `tern compare --format json` on the same lines and references.
@Suite struct ServeCompareTests {
    /// Every mode's outputs, token and step counts, cache bytes, BLEU and chrF are those of
    /// `tern compare` (the timings differ from run to run and are left out), and the attention
    /// figure of a line is the SVG `tern compare --svg` writes for it, byte for byte.
    @Test func compareAnswersAsTernCompareDoes() async throws {
        let lines = ServeTestLines.english(3)
        let references = ["Ein Mann fährt Fahrrad.", "Zwei Hunde spielen im Schnee.", "Ein Mädchen klettert."]
        let folder = try TemporaryDirectory()
        try (lines.joined(separator: "\n") + "\n").write(toFile: folder.file("lines.en"), atomically: true, encoding: .utf8)
        try (references.joined(separator: "\n") + "\n").write(toFile: folder.file("lines.de"), atomically: true, encoding: .utf8)
        let command = try ProcessRunner.tern(["compare", "--model", "en-de-multi30k", "--format", "json", "--input", folder.file("lines.en"),
                                              "--reference", folder.file("lines.de"), "--svg", folder.file("line2.svg"), "--svg-sentence", "2"])
        try #require(command.exitCode == 0, "\(command.errorText)")
        let expected = try #require(try JSONSerialization.jsonObject(with: command.standardOutput) as? [String: Any])
        let expectedSVG = try String(contentsOfFile: folder.file("line2.svg"), encoding: .utf8)

        let server = try ServerProcess(["--model", "en-de-multi30k"])
        defer { server.stop() }
        let (status, answer) = try await server.post("/v1/compare", json: ["lines": lines, "references": references, "model": "en-de-multi30k"])
        #expect(status == 200)
        let received = try #require(answer as? [String: Any])
        #expect(Self.stable(received) == Self.stable(expected))
        #expect((received["modes"] as? [[String: Any]])?.count == 3)
        #expect(received["attention"] == nil, "no figure unless asked for")

        let (figureStatus, figureAnswer) = try await server.post("/v1/compare", json: ["lines": lines, "references": references,
                                                                                       "model": "en-de-multi30k", "attention": true, "line": 2])
        #expect(figureStatus == 200)
        let figureReport = try #require(figureAnswer as? [String: Any])
        #expect(Self.stable(figureReport) == Self.stable(expected))
        let attention = try #require(figureReport["attention"] as? [String: Any])
        #expect(attention["line"] as? Int == 2)
        #expect(attention["svg"] as? String == expectedSVG, "the SVG of tern compare --svg --svg-sentence 2")

        let (badStatus, badAnswer) = try await server.post("/v1/compare", json: ["lines": lines, "references": ["one"]])
        #expect(badStatus == 400)
        #expect(((badAnswer as? [String: Any])?["error"] as? String)?.contains("one reference per line") == true)
    }

    /// The parts of a report that do not depend on timing.
    static func stable(_ report: [String: Any]) -> String {
        let modes = (report["modes"] as? [[String: Any]] ?? []).map { mode in
            ["label", "generatedTokens", "decoderSteps", "encoderRuns", "peakSelfCacheBytes", "peakCrossCacheBytes", "parameters", "bleu", "chrf"]
                .map { "\($0)=\(mode[$0].map { "\($0)" } ?? "-")" }.joined(separator: " ")
        }
        let sentences = (report["sentences"] as? [[String: Any]] ?? []).map { sentence in
            ((sentence["outputs"] as? [String: String]) ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: " | ")
        }
        return (modes + sentences).joined(separator: "\n")
    }

    /// `attention` and `line` of the wrong type or out of range get 400, a line too long to
    /// draw gets 413, each with a message naming the field; the server goes on answering. A
    /// server without the prefix-LM model that the figure draws says so (400).
    @Test func badAttentionRequestsGetClearErrors() async throws {
        let server = try ServerProcess(["--model", "en-de-multi30k"])
        defer { server.stop() }
        let lines = ["A dog runs.", "  ", "Two cats sleep."]
        let cases: [(body: [String: Any], status: Int, message: String)] = [
            (["lines": lines, "attention": "yes"], 400, "'attention' must be"),
            (["lines": lines, "attention": true, "line": "2"], 400, "'line' must be"),
            (["lines": lines, "attention": true, "line": 0], 400, "line 0 is not a line of the request"),
            (["lines": lines, "attention": true, "line": 4], 400, "line 4 is not a line of the request"),
            (["lines": lines, "attention": true, "line": 2], 400, "line 2 is blank"),
            (["lines": lines, "line": 1], 400, "send it with \"attention\": true"),
            (["lines": [[String](repeating: "A man rides a bike.", count: 30).joined(separator: " ")], "attention": true], 413,
             "the attention figure draws at most"),
            // A source that fits, but not together with its translation.
            (["lines": [[String](repeating: "A man rides a bike.", count: 14).joined(separator: " ")], "attention": true, "max_length": 40],
             413, "and its translation take"),
        ]
        for (body, status, message) in cases {
            let (answerStatus, answer) = try await server.post("/v1/compare", json: body)
            let error = (answer as? [String: Any])?["error"] as? String ?? ""
            #expect(answerStatus == status, "\(body): \(error)")
            #expect(error.contains(message), "\(body): \(error)")
        }
        let (health, _) = try await server.get("/health")
        #expect(health == 200)

        let encoderDecoderOnly = try ServerProcess(["--model", PackagePaths.file("Models/en-de-multi30k/encdec")])
        defer { encoderDecoderOnly.stop() }
        let (status, answer) = try await encoderDecoderOnly.post("/v1/compare", json: ["lines": lines, "attention": true])
        let error = (answer as? [String: Any])?["error"] as? String ?? ""
        #expect(status == 400 && error.contains("start tern serve with both, or leave out attention"), "\(error)")
    }

    /// The tokens and the sentence in the figure are user text: markup in a line comes back as
    /// text in well-formed SVG (read back by an XML parser), never as elements.
    @Test func attentionFigureEscapesTheLine() async throws {
        let line = #"A <b>dog</b> & "cat" <script>alert('x')</script>"#
        let server = try ServerProcess(["--model", "en-de-multi30k"])
        defer { server.stop() }
        let (status, answer) = try await server.post("/v1/compare", json: ["lines": [line], "attention": true, "max_length": 8])
        #expect(status == 200)
        let svg = try #require(((answer as? [String: Any])?["attention"] as? [String: Any])?["svg"] as? String)
        let document = try #require(SVGContents(svg), "well-formed XML")
        #expect(document.elements.isSubset(of: ["svg", "rect", "text", "line", "defs", "linearGradient", "stop"]), "\(document.elements)")
        #expect(document.texts.contains("Attention in line 1: “\(line)”"))
    }
}
