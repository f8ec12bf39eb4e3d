import Foundation
import TestSupport
import Testing

/// `tern serve` against `tern translate`: the same lines give the same translations, whatever
/// the concurrency and however the server batches them.
@Suite(.serialized) struct ServeTranslationTests {
    /// 24 concurrent clients, each sending its own slice of the lines through one of the three
    /// ways in (LibreTranslate with a string, with a list, Tern's /v1), each get `tern translate`'s output.
    @Test func concurrentRequestsGetTernTranslateOutput() async throws {
        let lines = ServeTestLines.english(60)
        let expected = try Self.ternTranslate(lines, [])
        let server = try ServerProcess(["--model", "en-de-multi30k", "--threads", "2", "--batch-wait-ms", "20", "--batch-lines", "16"])
        defer { server.stop() }
        let slices = (0..<24).map { client in
            let start = (client * 7) % lines.count, count = 1 + client % 6
            return Array((start..<start + count).map { $0 % lines.count })
        }
        try await withThrowingTaskGroup(of: (Int, [String]).self) { group in
            for (client, indices) in slices.enumerated() {
                group.addTask {
                    let texts = indices.map { lines[$0] }
                    switch client % 3 {
                    case 0:
                        let (status, answer) = try await server.post("/translate", json: ["q": texts.joined(separator: "\n"), "source": "en", "target": "de"])
                        #expect(status == 200)
                        let text = try #require((answer as? [String: Any])?["translatedText"] as? String)
                        return (client, text.components(separatedBy: "\n"))
                    case 1:
                        let (status, answer) = try await server.post("/translate", json: ["q": texts, "source": "en", "target": "de", "format": "text"])
                        #expect(status == 200)
                        return (client, try #require((answer as? [String: Any])?["translatedText"] as? [String]))
                    default:
                        let (status, answer) = try await server.post("/v1/translate", json: ["lines": texts, "model": "en-de-multi30k"])
                        #expect(status == 200)
                        let translations = try #require((answer as? [String: Any])?["translations"] as? [[String: Any]])
                        return (client, translations.compactMap { $0["text"] as? String })
                    }
                }
            }
            for try await (client, received) in group {
                #expect(received == slices[client].map { expected[$0] }, "client \(client)")
            }
        }
    }

    /// Beam search with n-best through /v1/translate: every alternative and its score (to the
    /// four decimals `tern translate --n-best` prints) as `tern translate --beam 4 --n-best 2 --length-penalty 0.6`.
    @Test func beamAndNBestMatchTernTranslate() async throws {
        let lines = ServeTestLines.english(8)
        let expected = try Self.ternTranslate(lines, ["--beam", "4", "--n-best", "2", "--length-penalty", "0.6"])
        let server = try ServerProcess(["--model", "en-de-multi30k"])
        defer { server.stop() }
        try await withThrowingTaskGroup(of: (Int, [String]).self) { group in
            for (index, line) in lines.enumerated() {
                group.addTask {
                    let (status, answer) = try await server.post("/v1/translate", json: [
                        "lines": [line], "model": "en-de-multi30k", "mode": "encdec", "beam": 4, "n_best": 2, "length_penalty": 0.6,
                    ])
                    #expect(status == 200)
                    let translation = try #require(((answer as? [String: Any])?["translations"] as? [[String: Any]])?.first)
                    let alternatives = try #require(translation["alternatives"] as? [[String: Any]])
                    #expect((translation["source_tokens"] as? Int ?? 0) > 0)
                    #expect((translation["target_tokens"] as? Int ?? 0) > 0)
                    return (index, alternatives.map { String(format: "%.4f\t", ($0["score"] as? Double) ?? .nan) + (($0["text"] as? String) ?? "") })
                }
            }
            for try await (index, received) in group {
                #expect(received == Array(expected[2 * index..<2 * index + 2]), "line \(index)")
            }
        }
    }

    /// A form-encoded request, as the LibreTranslate client libretranslatepy sends it, gets `tern translate`'s output.
    @Test func formEncodedRequestIsTranslated() async throws {
        let line = ServeTestLines.english(1)[0]
        let expected = try Self.ternTranslate([line], [])
        let server = try ServerProcess(["--model", "en-de-multi30k"])
        defer { server.stop() }
        var form = URLComponents()
        form.queryItems = [URLQueryItem(name: "q", value: line), URLQueryItem(name: "source", value: "en"), URLQueryItem(name: "target", value: "de")]
        let (status, data) = try await server.request("POST", "/translate", body: Data(form.percentEncodedQuery!.utf8),
                                                      headers: ["Content-Type": "application/x-www-form-urlencoded"])
        #expect(status == 200)
        let answer = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(answer?["translatedText"] as? String == expected[0])
    }

    /// `--compute-type int8` holds the server's model as `tern translate --compute-type int8` does: the same
    /// translations (int8 rows, like F32 ones, do not depend on the rest of the batch).
    @Test func int8ServerMatchesInt8Translate() async throws {
        let lines = ServeTestLines.english(6)
        let expected = try Self.ternTranslate(lines, ["--compute-type", "int8"])
        let server = try ServerProcess(["--model", "en-de-multi30k", "--compute-type", "int8"])
        defer { server.stop() }
        let (status, answer) = try await server.post("/translate", json: ["q": lines, "source": "en", "target": "de"])
        #expect(status == 200)
        #expect((answer as? [String: Any])?["translatedText"] as? [String] == expected)
    }

    /// Server-sent events: one `line` event per line, each as /v1/translate answers it, then `done`.
    @Test func streamingSendsEveryLineThenDone() async throws {
        let lines = ServeTestLines.english(12)
        let expected = try Self.ternTranslate(lines, [])
        let server = try ServerProcess(["--model", "en-de-multi30k", "--batch-lines", "4"])
        defer { server.stop() }
        let (status, data) = try await server.request("POST", "/v1/translate",
                                                      body: try JSONSerialization.data(withJSONObject: ["lines": lines, "stream": true]))
        #expect(status == 200)
        let events = String(decoding: data, as: UTF8.self).components(separatedBy: "\n\n").filter { !$0.isEmpty }
        #expect(events.last?.hasPrefix("event: done") == true)
        var received = [String?](repeating: nil, count: lines.count)
        for event in events.dropLast() {
            let parts = event.components(separatedBy: "\n")
            #expect(parts.first == "event: line")
            let payload = try #require(parts.last.map { Data($0.dropFirst("data: ".count).utf8) })
            let object = try #require(try JSONSerialization.jsonObject(with: payload) as? [String: Any])
            received[try #require(object["index"] as? Int)] = object["text"] as? String
        }
        #expect(received == expected.map { $0 })
    }

    /// With a batch wait, 16 single-line requests sent together share batches (fewer batches
    /// than requests); with `--batch-wait-ms 0` every batch holds one request.
    @Test(arguments: [(wait: "200", sharesBatches: true), (wait: "0", sharesBatches: false)])
    func batchingAcrossRequests(wait: String, sharesBatches: Bool) async throws {
        let lines = ServeTestLines.english(16)
        let server = try ServerProcess(["--model", "en-de-multi30k", "--threads", "1", "--batch-wait-ms", wait])
        defer { server.stop() }
        try await withThrowingTaskGroup(of: Int.self) { group in
            for line in lines {
                group.addTask { try await server.post("/translate", json: ["q": line, "source": "en", "target": "de"]).0 }
            }
            for try await status in group { #expect(status == 200) }
        }
        let metrics = try await server.get("/metrics").1
        #expect(Self.value(metrics, "tern_sentences_total") == 16)
        let batches = try #require(Self.value(metrics, "tern_batch_lines_count"))
        if sharesBatches { #expect(batches < 16) } else { #expect(batches == 16) }
    }

    /// A model folder's `num_beams` is the server's default beam, as it is `tern translate`'s, for
    /// LibreTranslate's endpoint and Tern's own; a request's `beam` still wins.
    @Test func modelFolderSearchSettingsAreTheDefault() async throws {
        let folder = try TemporaryDirectory()
        let model = folder.file("en-de/encdec")
        try FileManager.default.createDirectory(atPath: model, withIntermediateDirectories: true)
        let bundled = PackagePaths.file("Models/en-de-multi30k/encdec")
        for file in ["model.safetensors", "vocab.json"] { try FileManager.default.copyItem(atPath: bundled + "/" + file, toPath: model + "/" + file) }
        var config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: bundled + "/config.json"))) as? [String: Any])
        config["tern_vocabulary"] = PackagePaths.vocabulary("multi30k-en-de")
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: model + "/config.json"))
        try Data(#"{"num_beams": 4}"#.utf8).write(to: URL(fileURLWithPath: model + "/generation_config.json"))

        let lines = ServeTestLines.english(12)
        func translate(_ arguments: [String]) throws -> [String] {
            let result = try ProcessRunner.tern(["translate", "--model", model] + arguments, input: lines.joined(separator: "\n") + "\n")
            try #require(result.exitCode == 0, "\(result.errorText)")
            return result.outputText.split(separator: "\n").map(String.init)
        }
        let folderDefault = try translate([]), greedy = try translate(["--beam", "1"])
        #expect(folderDefault == (try translate(["--beam", "4"])))
        #expect(folderDefault != greedy, "beam 4 and greedy search agree on every line: the test would not notice the default")
        let server = try ServerProcess(["--model", model])
        defer { server.stop() }
        let (_, libre) = try await server.post("/translate", json: ["q": lines, "source": "en", "target": "de"])
        #expect((libre as? [String: Any])?["translatedText"] as? [String] == folderDefault)
        let (_, own) = try await server.post("/v1/translate", json: ["lines": lines])
        #expect(((own as? [String: Any])?["translations"] as? [[String: Any]])?.map { $0["text"] as? String } == folderDefault)
        let (_, chosen) = try await server.post("/v1/translate", json: ["lines": lines, "beam": 1])
        #expect(((chosen as? [String: Any])?["translations"] as? [[String: Any]])?.map { $0["text"] as? String } == greedy)
    }

    /// The value of the unlabelled sample `name` in Prometheus text.
    static func value(_ metrics: String, _ name: String) -> Double? {
        metrics.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ")[1]) }
    }

    /// `tern translate --model en-de-multi30k ARGUMENTS` on `lines`: its output lines.
    static func ternTranslate(_ lines: [String], _ arguments: [String]) throws -> [String] {
        let result = try ProcessRunner.tern(["translate", "--model", "en-de-multi30k"] + arguments, input: lines.joined(separator: "\n") + "\n")
        try #require(result.exitCode == 0, "\(result.errorText)")
        return result.outputText.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }
}
