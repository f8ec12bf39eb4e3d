import Foundation
import TestSupport
import Testing

/// Languages, health, metrics, access log, API keys and shutdown.
@Suite(.serialized) struct ServeOperationsTests {
    /// /languages and /health list what the `--model` arguments loaded, and /v1/translate
    /// reaches each architecture: its output is `tern translate --mode`'s.
    @Test func languagesHealthAndModesFollowTheModelsLoaded() async throws {
        let server = try ServerProcess(["--model", "en-de-multi30k", "--model", "en-zh"])
        defer { server.stop() }
        let (languagesStatus, languagesText) = try await server.get("/languages")
        #expect(languagesStatus == 200)
        let languages = try #require(try JSONSerialization.jsonObject(with: Data(languagesText.utf8)) as? [[String: Any]])
        #expect(languages.map { $0["code"] as? String } == ["en", "de", "zh"])
        #expect(languages.map { $0["targets"] as? [String] } == [["de", "zh"], [], []])
        #expect(languages.first?["name"] as? String == "English")
        let (_, healthText) = try await server.get("/health")
        let health = try #require(try JSONSerialization.jsonObject(with: Data(healthText.utf8)) as? [String: Any])
        let models = try #require(health["models"] as? [[String: Any]])
        #expect(models.map { "\($0["name"]!)/\($0["mode"]!)" } == ["en-de-multi30k/encdec", "en-de-multi30k/prefix-lm", "en-de-multi30k/causal-lm", "en-zh/encdec"])
        #expect(models.map { "\($0["source"]!)-\($0["target"]!)" } == ["en-de", "en-de", "en-de", "en-zh"])
        #expect(models.map { $0["targets"] as? [String] } == [["de"], ["de"], ["de"], ["zh"]])

        let lines = ServeTestLines.english(4)
        for mode in ["prefix-lm", "causal-lm"] {
            let expected = try ServeTranslationTests.ternTranslate(lines, ["--mode", mode])
            let (status, answer) = try await server.post("/v1/translate", json: ["lines": lines, "model": "en-de-multi30k", "mode": mode])
            #expect(status == 200)
            let translations = try #require((answer as? [String: Any])?["translations"] as? [[String: Any]])
            #expect(translations.map { $0["text"] as? String } == expected, "\(mode)")
        }
        let chinese = try ProcessRunner.tern(["translate", "--model", "en-zh"], input: lines.joined(separator: "\n") + "\n")
        let (_, answer) = try await server.post("/translate", json: ["q": lines, "source": "auto", "target": "zh"])
        #expect((answer as? [String: Any])?["translatedText"] as? [String] == chinese.outputText.split(separator: "\n").map(String.init))
    }

    /// A Marian folder fetched into the model cache is served by its hub name, its pair read from
    /// the OPUS-MT folder name (`opus-mt-en-de`), and translates as `tern translate --model FOLDER`.
    @Test func fetchedMarianFolderIsServedByItsHubName() async throws {
        let cache = try TemporaryDirectory()
        let folder = cache.file("tern/models/Helsinki-NLP/opus-mt-en-de")
        try FolderCopy.copy(PackagePaths.file("Tests/TernMarianTests/Fixtures/opus-en-de"), to: folder)
        let lines = ServeTestLines.english(3)
        let expected = try ProcessRunner.tern(["translate", "--model", folder], input: lines.joined(separator: "\n") + "\n")
        #expect(expected.exitCode == 0, "\(expected.errorText)")
        let server = try ServerProcess(["--model", "Helsinki-NLP/opus-mt-en-de"], environment: ["XDG_CACHE_HOME": cache.path])
        defer { server.stop() }
        let (_, languages) = try await server.get("/languages")
        #expect(languages.contains(#"{"code":"en","name":"English","targets":["de"]}"#), "\(languages)")
        let (status, answer) = try await server.post("/translate", json: ["q": lines, "source": "en", "target": "de"])
        #expect(status == 200)
        #expect((answer as? [String: Any])?["translatedText"] as? [String] == expected.outputText.split(separator: "\n").map(String.init))
        let (ownStatus, own) = try await server.post("/v1/translate", json: ["lines": lines, "model": "Helsinki-NLP/opus-mt-en-de"])
        #expect(ownStatus == 200)
        #expect((own as? [String: Any])?["model"] as? String == "Helsinki-NLP/opus-mt-en-de")
    }

    /// A multilingual Marian folder (`>>xx<<` tokens) fetched as `opus-mt-en-ROMANCE` is served
    /// from its source into each of its codes: LibreTranslate's `target` and Tern's
    /// `target_language` choose the code, and each translates as `tern translate --target-language`.
    @Test func multilingualMarianFolderServesEachOfItsTargets() async throws {
        let cache = try TemporaryDirectory()
        let name = "Helsinki-NLP/opus-mt-en-ROMANCE"
        let folder = cache.file("tern/models/" + name)
        try FolderCopy.copy(PackagePaths.file("Tests/TernMarianTests/Fixtures/opus-en-mul"), to: folder)
        let lines = ServeTestLines.english(4)
        var expected: [String: [String]] = [:]
        for target in ["de", "es", "fr"] {
            let result = try ProcessRunner.tern(["translate", "--model", folder, "--target-language", target], input: lines.joined(separator: "\n") + "\n")
            #expect(result.exitCode == 0, "\(result.errorText)")
            expected[target] = result.outputText.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        }
        #expect(Set(expected.values).count == 3, "the three targets translate alike: the test would not notice a wrong code")

        let server = try ServerProcess(["--model", name], environment: ["XDG_CACHE_HOME": cache.path])
        defer { server.stop() }
        let (_, languages) = try await server.get("/languages")
        #expect(languages.contains(#"{"code":"en","name":"English","targets":["de","es","fr"]}"#), "\(languages)")
        let (_, health) = try await server.get("/health")
        #expect(health.contains(#""targets":["de","es","fr"]"#) && !health.contains(#""target":"#), "\(health)")
        for target in ["de", "es", "fr"] {
            let (status, answer) = try await server.post("/translate", json: ["q": lines, "source": "en", "target": target])
            #expect(status == 200)
            #expect((answer as? [String: Any])?["translatedText"] as? [String] == expected[target], "\(target)")
        }
        let (ownStatus, own) = try await server.post("/v1/translate", json: ["lines": lines, "model": name, "target_language": "es"])
        #expect(ownStatus == 200)
        let texts = ((own as? [String: Any])?["translations"] as? [[String: Any]])?.map { $0["text"] as? String ?? "" }
        #expect(texts == expected["es"])

        let (missingStatus, missing) = try await server.post("/v1/translate", json: ["lines": lines, "model": name])
        #expect(missingStatus == 400)
        #expect(((missing as? [String: Any])?["error"] as? String)?.contains("target_language (one of: de, es, fr)") == true, "\(missing)")
        let (unknownStatus, unknown) = try await server.post("/translate", json: ["q": "A dog.", "source": "en", "target": "it"])
        #expect(unknownStatus == 400)
        #expect(((unknown as? [String: Any])?["error"] as? String)?.contains("en-de, en-es, en-fr") == true, "\(unknown)")
    }

    /// The Prometheus counters add up to what the client sent and received, histograms are
    /// cumulative, and each request has one JSON access-log line.
    @Test func metricsAndAccessLogCountWhatHappened() async throws {
        let server = try ServerProcess(["--model", "en-de-multi30k"])
        defer { server.stop() }
        var targetTokens = 0, sourceTokens = 0
        let lines = ServeTestLines.english(10)
        for count in 1...4 {
            let (status, answer) = try await server.post("/v1/translate", json: ["lines": Array(lines.prefix(count))])
            #expect(status == 200)
            for translation in (answer as? [String: Any])?["translations"] as? [[String: Any]] ?? [] {
                targetTokens += translation["target_tokens"] as? Int ?? 0
                sourceTokens += translation["source_tokens"] as? Int ?? 0
            }
        }
        let (badStatus, _) = try await server.post("/translate", json: ["q": 1])
        #expect(badStatus == 400)
        let (metricsStatus, metrics) = try await server.get("/metrics")
        #expect(metricsStatus == 200)
        #expect(ServeTranslationTests.value(metrics, "tern_sentences_total") == 10)
        #expect(ServeTranslationTests.value(metrics, "tern_target_tokens_total") == Double(targetTokens))
        #expect(ServeTranslationTests.value(metrics, "tern_source_tokens_total") == Double(sourceTokens))
        #expect(metrics.contains(#"tern_requests_total{endpoint="/v1/translate",status="200"} 4"#))
        #expect(metrics.contains(#"tern_requests_total{endpoint="/translate",status="400"} 1"#))
        for histogram in ["tern_batch_lines_bucket{le", "tern_queue_wait_seconds_bucket{le", "tern_batch_duration_seconds_bucket{le",
                          #"tern_request_duration_seconds_bucket{endpoint="/v1/translate",le"#] {
            let buckets = metrics.split(separator: "\n").filter { $0.hasPrefix(histogram) }.compactMap { Double($0.split(separator: " ").last!) }
            #expect(!buckets.isEmpty && buckets == buckets.sorted(), "\(histogram) buckets are cumulative")
        }
        #expect(ServeTranslationTests.value(metrics, "tern_batch_lines_sum") == 10)
        let batches = try #require(ServeTranslationTests.value(metrics, "tern_batch_lines_count"))
        #expect(batches >= 4 && metrics.contains(#"tern_batch_lines_bucket{le="+Inf"} \#(Int(batches))"#))
        #expect(metrics.contains(#"tern_request_duration_seconds_bucket{endpoint="/v1/translate",le="+Inf"} 4"#))

        server.stop()
        let records = server.errorText.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(records.filter { $0["path"] as? String == "/v1/translate" && $0["status"] as? Int == 200 && $0["method"] as? String == "POST" }.count == 4)
        #expect(records.filter { $0["path"] as? String == "/translate" && $0["status"] as? Int == 400 }.count == 1)
        #expect(records.allSatisfy { ($0["duration_ms"] as? Double ?? -1) >= 0 && ($0["time"] as? String)?.hasSuffix("Z") == true })
    }

    /// With `--api-key-file`, translating needs a listed key (in the body or as a bearer token); health does not.
    @Test func apiKeysAreRequiredWhenConfigured() async throws {
        let folder = try TemporaryDirectory()
        let keyFile = folder.file("keys")
        try "# operators\nfirst-key-123\n\nsecond-key-456\n".write(toFile: keyFile, atomically: true, encoding: .utf8)
        let server = try ServerProcess(["--model", "en-de-multi30k", "--api-key-file", keyFile])
        defer { server.stop() }
        let request: [String: Any] = ["q": "A dog runs.", "source": "en", "target": "de"]
        #expect(try await server.post("/translate", json: request).0 == 403)
        for wrong in ["first-key-124", "first-key-12", "first-key-1234", "# operators", ""] {
            #expect(try await server.post("/translate", json: request.merging(["api_key": wrong]) { $1 }).0 == 403, "\(wrong)")
        }
        #expect(try await server.post("/translate", json: request.merging(["api_key": "second-key-456"]) { $1 }).0 == 200)
        #expect(try await server.post("/v1/translate", json: ["lines": ["A dog."]], headers: ["Authorization": "Bearer first-key-123"]).0 == 200)
        #expect(try await server.get("/health").0 == 200)
    }

    /// A key file that cannot be read or holds no key stops the server before it listens, saying so.
    @Test func unusableKeyFileIsRefused() throws {
        let folder = try TemporaryDirectory()
        try "# only a comment\n".write(toFile: folder.file("empty"), atomically: true, encoding: .utf8)
        for (file, message) in [(folder.file("missing"), "cannot read the API key file"), (folder.file("empty"), "holds no key")] {
            let result = try ProcessRunner.tern(["serve", "--port", "0", "--api-key-file", file])
            #expect(result.exitCode == 1)
            #expect(result.errorText.contains(message), "\(result.errorText)")
        }
    }

    /// SIGTERM while a long request is in flight: the request is answered in full, then the
    /// server exits with status 0.
    @Test func sigtermFinishesRequestsInFlight() async throws {
        let lines = ServeTestLines.english(120)
        let expected = try ServeTranslationTests.ternTranslate(lines, [])
        let server = try ServerProcess(["--model", "en-de-multi30k", "--threads", "1", "--batch-lines", "4"])
        defer { server.stop() }
        async let answer = server.post("/v1/translate", json: ["lines": lines])
        var queued = 0.0
        for _ in 0..<200 where queued == 0 {
            try await Task.sleep(for: .milliseconds(10))
            queued = ServeTranslationTests.value(try await server.get("/metrics").1, "tern_queued_lines") ?? 0
        }
        #expect(queued > 0, "the request was in the queue when SIGTERM came")
        server.send(signal: SIGTERM)
        let (status, body) = try await answer
        #expect(status == 200)
        let translations = try #require((body as? [String: Any])?["translations"] as? [[String: Any]])
        #expect(translations.map { $0["text"] as? String } == expected)
        #expect(server.stop() == 0)
        #expect(server.exitedNormally, "the server exited by itself, not by the signal")
    }
}
