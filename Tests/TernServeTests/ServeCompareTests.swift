import Foundation
import TestSupport
import Testing

/// `POST /v1/compare` against `tern compare --format json` on the same lines and references.
@Suite struct ServeCompareTests {
    /// Every mode's outputs, token and step counts, cache bytes, BLEU and chrF are those of
    /// `tern compare` (the timings differ from run to run and are left out).
    @Test func compareAnswersAsTernCompareDoes() async throws {
        let lines = ServeTestLines.english(3)
        let references = ["Ein Mann fährt Fahrrad.", "Zwei Hunde spielen im Schnee.", "Ein Mädchen klettert."]
        let folder = try TemporaryDirectory()
        try (lines.joined(separator: "\n") + "\n").write(toFile: folder.file("lines.en"), atomically: true, encoding: .utf8)
        try (references.joined(separator: "\n") + "\n").write(toFile: folder.file("lines.de"), atomically: true, encoding: .utf8)
        let command = try ProcessRunner.tern(["compare", "--model", "en-de", "--format", "json", "--input", folder.file("lines.en"),
                                              "--reference", folder.file("lines.de")])
        try #require(command.exitCode == 0, "\(command.errorText)")
        let expected = try #require(try JSONSerialization.jsonObject(with: command.standardOutput) as? [String: Any])

        let server = try ServerProcess(["--model", "en-de"])
        defer { server.stop() }
        let (status, answer) = try await server.post("/v1/compare", json: ["lines": lines, "references": references, "model": "en-de"])
        #expect(status == 200)
        let received = try #require(answer as? [String: Any])
        #expect(Self.stable(received) == Self.stable(expected))
        #expect((received["modes"] as? [[String: Any]])?.count == 3)

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
}
