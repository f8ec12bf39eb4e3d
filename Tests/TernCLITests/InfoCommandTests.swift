import Foundation
import TernJSON
import TernModel
import TestSupport
import Testing

@Suite struct InfoCommandTests {
    @Test("tern info prints the model's figures as text and as JSON; a missing model exits 1", arguments: Architecture.allCases)
    func info(architecture: Architecture) throws {
        let (model, folder) = try TinyModels.make(architecture)
        let text = try ProcessRunner.tern(["info", folder.path])
        #expect(text.exitCode == 0, "\(text.errorText)")
        #expect(text.outputText.contains("architecture   \(architecture.rawValue)"))
        #expect(text.outputText.contains("parameters     \(model.weights.parameterCount.formatted())"))
        #expect(text.outputText.contains("cross cache") == (architecture == .encoderDecoder))

        let json = try ProcessRunner.tern(["info", folder.path, "--format", "json"])
        let summary = try SnakeCaseJSON.decoder().decode(ModelSummary.self, from: Data(json.outputText.utf8))
        #expect(summary == (try ModelSummary(directory: folder.path)))
        #expect(json.outputText.contains("\"self_cache_bytes_per_token\""), "keys are snake_case, as in every JSON file Tern writes")

        let missing = try ProcessRunner.tern(["info", folder.path + "-absent"])
        #expect(missing.exitCode == 1 && missing.errorText.contains("no model"))
    }
}
