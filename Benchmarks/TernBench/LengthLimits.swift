import ArgumentParser
import Foundation
import TernDecoding
import TernIO
import TernModel

/// The target-length limit Tern's search gives each sentence, so that benchmarks can hand other
/// engines exactly the same limits instead of re-implementing the rule.
struct LengthLimits: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "limits",
        abstract: "Print the most target tokens each source line may get (tern translate's rule), one number per line."
    )

    @Option(help: "Model folder.") var model: String
    @Option(help: "Source token ids, one sentence per line (tern tokenize --ids), without </s>.") var ids: String
    @Option(help: "tern translate's --max-length.") var maxLength = DecodingOptions().maxLength

    func run() throws {
        let loaded = try ModelDirectory.load(model)
        let sources = try LineReader(path: ids).readAllLines().map { line in
            loaded.framing.source(line.text.split(separator: " ").compactMap { Int32($0) })
        }
        let options = DecodingOptions(maxLength: maxLength, relativeMaxLength: .default)
        // Making a scorer runs nothing: it only frames the batch, which is all `limit` reads.
        let scorer = loaded.makeScorer(sources: sources, cacheMode: .cached)
        for sentence in sources.indices { print(options.limit(for: sentence, of: scorer)) }
    }
}
