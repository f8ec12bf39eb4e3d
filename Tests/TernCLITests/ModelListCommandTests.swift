import Foundation
import TestSupport
import Testing

@Suite struct ModelListCommandTests {
    /// `tern model list` names every bundled model folder (found here by walking `Models/`) once per
    /// mode, and a model fetched into the cache, in JSON and as a table.
    @Test func listsBundledModelsAndTheCache() throws {
        let cache = try TemporaryDirectory()
        try FolderCopy.copy(PackagePaths.file("Tests/TernMarianTests/Fixtures/opus-en-mul"), to: cache.file("tern/models/Helsinki-NLP/opus-mt-en-ROMANCE"))
        func list(_ format: String) throws -> ProcessRunner.Result {
            try ProcessRunner.run("/usr/bin/env", ["XDG_CACHE_HOME=\(cache.path)", ProcessRunner.ternExecutable, "model", "list", "--format", format])
        }
        let models = PackagePaths.file("Models")
        var expected: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: models).sorted() {
            for mode in ["encdec", "prefix-lm", "causal-lm"] where FileManager.default.fileExists(atPath: "\(models)/\(name)/\(mode)/config.json") {
                expected.append("\(name)/\(mode)")
            }
        }
        #expect(expected.contains("en-de/encdec"))

        let json = try list("json")
        #expect(json.exitCode == 0, "\(json.errorText)")
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(json.outputText.utf8)) as? [[String: Any]])
        let bundled = entries.filter { $0["in_cache"] as? Bool == false }
        #expect(bundled.map { "\($0["name"]!)/\($0["mode"]!)" } == expected)
        let cached = entries.filter { $0["in_cache"] as? Bool == true }
        #expect(cached.map { $0["name"] as? String } == ["Helsinki-NLP/opus-mt-en-ROMANCE"])
        #expect(cached.first?["targets"] as? [String] == ["de", "es", "fr"])

        let table = try list("text")
        #expect(table.exitCode == 0, "\(table.errorText)")
        let rows = table.outputText.split(separator: "\n")
        #expect(rows.count == entries.count + 1 && rows[0].hasPrefix("NAME"), "\(table.outputText)")
        #expect(rows.contains { $0.hasPrefix("Helsinki-NLP/opus-mt-en-ROMANCE") && $0.contains("en → de, es, fr") }, "\(table.outputText)")
    }
}
