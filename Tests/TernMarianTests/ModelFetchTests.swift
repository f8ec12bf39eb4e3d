import Foundation
import TestSupport
import Testing

/// `tern model fetch` against a stand-in hub on 127.0.0.1 (`Fixtures/hub_server.py`) that serves
/// the Marian fixture folder with the hub's API and download paths.
@Suite struct ModelFetchTests {
    static let fixture = PackagePaths.file("Tests/TernMarianTests/Fixtures")
    static let folder = fixture + "/opus-en-de"
    static let name = "fixture-owner/opus-en-de"

    /// A running stand-in hub; stops when its standard input closes.
    final class Hub {
        let process: InteractiveProcess
        let endpoint: String
        let log: String

        init(wrongSHA256: [String] = [], log: String) throws {
            self.log = log
            process = try InteractiveProcess("/usr/bin/env", ["python3", ModelFetchTests.fixture + "/hub_server.py", "--model",
                                                              "\(ModelFetchTests.name)=\(ModelFetchTests.folder)", "--log", log]
                                                 + wrongSHA256.flatMap { ["--wrong-sha256", $0] })
            guard let port = process.readLine(timeout: 30) else { throw CocoaError(.fileReadUnknown) }
            endpoint = "http://127.0.0.1:\(port)"
        }

        deinit { _ = try? process.finish() }

        func requests() -> [String] {
            ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
    }

    /// Runs tern with the hub endpoint and a cache folder of its own.
    func tern(_ arguments: [String], endpoint: String, cache: TemporaryDirectory, input: String = "") throws -> ProcessRunner.Result {
        try ProcessRunner.run("/usr/bin/env", ["TERN_HUB_ENDPOINT=\(endpoint)", "XDG_CACHE_HOME=\(cache.path)", ProcessRunner.ternExecutable]
                              + arguments, input: Data(input.utf8))
    }

    @Test("a fetch downloads the Marian files byte for byte into the cache, and --model NAME then translates with them")
    func fetchThenTranslate() throws {
        let cache = try TemporaryDirectory()
        let hub = try Hub(log: cache.file("requests.log"))
        let result = try tern(["model", "fetch", Self.name], endpoint: hub.endpoint, cache: cache)
        #expect(result.exitCode == 0, "\(result.errorText)")
        let fetched = cache.path + "/tern/models/" + Self.name
        for file in ["config.json", "generation_config.json", "vocab.json", "source.spm", "target.spm", "tokenizer_config.json",
                     "model.safetensors"] {
            #expect(FileManager.default.contentsEqual(atPath: fetched + "/" + file, andPath: Self.folder + "/" + file), "\(file)")
        }
        // model.safetensors is listed, so the other weights file is not downloaded.
        #expect(!FileManager.default.fileExists(atPath: fetched + "/pytorch_model.bin"))
        #expect(hub.requests().contains { $0.hasPrefix("/api/models/\(Self.name) ") })

        let lines = "A man in a blue shirt is standing on a ladder.\nTwo dogs play in the snow.\n"
        let fromCache = try tern(["translate", "--model", Self.name], endpoint: hub.endpoint, cache: cache, input: lines)
        let fromFolder = try ProcessRunner.tern(["translate", "--model", Self.folder], input: lines)
        #expect(fromCache.exitCode == 0, "\(fromCache.errorText)")
        #expect(fromCache.outputText == fromFolder.outputText)
        #expect(fromCache.outputText.split(separator: "\n").count == 2)

        let again = try tern(["model", "fetch", Self.name], endpoint: hub.endpoint, cache: cache)
        #expect(again.errorText.contains("0 files downloaded"), "\(again.errorText)")
    }

    @Test("an interrupted download continues from its .partial file with a range request")
    func resumes() throws {
        let cache = try TemporaryDirectory()
        let hub = try Hub(log: cache.file("requests.log"))
        let fetched = cache.path + "/tern/models/" + Self.name
        try FileManager.default.createDirectory(atPath: fetched, withIntermediateDirectories: true)
        let weights = try Data(contentsOf: URL(fileURLWithPath: Self.folder + "/model.safetensors"))
        try weights.prefix(weights.count / 2).write(to: URL(fileURLWithPath: fetched + "/model.safetensors.partial"))
        let result = try tern(["model", "fetch", Self.name], endpoint: hub.endpoint, cache: cache)
        #expect(result.exitCode == 0, "\(result.errorText)")
        #expect(FileManager.default.contentsEqual(atPath: fetched + "/model.safetensors", andPath: Self.folder + "/model.safetensors"))
        #expect(!FileManager.default.fileExists(atPath: fetched + "/model.safetensors.partial"))
        #expect(hub.requests().contains("/\(Self.name)/resolve/main/model.safetensors bytes=\(weights.count / 2)-"), "\(hub.requests())")
    }

    @Test("a file whose SHA-256 (Git LFS) or Git blob id (the others) differs from the hub's listing is refused and removed",
          arguments: [("model.safetensors", "SHA-256"), ("vocab.json", "Git blob id")])
    func checksumMismatch(file: String, kind: String) throws {
        let cache = try TemporaryDirectory()
        let hub = try Hub(wrongSHA256: [file], log: cache.file("requests.log"))
        let result = try tern(["model", "fetch", Self.name], endpoint: hub.endpoint, cache: cache)
        #expect(result.exitCode == 1)
        #expect(result.errorText.contains("'\(file)' has \(kind)"), "\(result.errorText)")
        let fetched = cache.path + "/tern/models/" + Self.name
        #expect(!FileManager.default.fileExists(atPath: fetched + "/" + file))
        #expect(!FileManager.default.fileExists(atPath: fetched + "/" + file + ".partial"))
    }

    @Test("an unreachable hub, an unknown model and a malformed name give clear errors")
    func failures() throws {
        let cache = try TemporaryDirectory()
        let offline = try tern(["model", "fetch", Self.name], endpoint: "http://127.0.0.1:9", cache: cache)
        #expect(offline.exitCode == 1)
        #expect(offline.errorText.contains("could not reach the Hugging Face hub"), "\(offline.errorText)")
        #expect(offline.errorText.contains("this machine may be offline"))
        #expect(!FileManager.default.fileExists(atPath: cache.path + "/tern/models/" + Self.name))
        let hub = try Hub(log: cache.file("requests.log"))
        let unknown = try tern(["model", "fetch", "fixture-owner/absent"], endpoint: hub.endpoint, cache: cache)
        #expect(unknown.errorText.contains("HTTP status 404"), "\(unknown.errorText)")
        let traversal = try tern(["model", "fetch", "../outside"], endpoint: hub.endpoint, cache: cache)
        #expect(traversal.exitCode == 1)
        #expect(traversal.errorText.contains("is not a hub model name"), "\(traversal.errorText)")
    }
}
