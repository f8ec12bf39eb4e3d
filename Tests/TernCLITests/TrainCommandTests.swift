import Foundation
import TestSupport
import Testing

/// `tern train`'s command line, on the committed smoke corpus with a tiny model.
@Suite struct TrainCommandTests {
    static let smokeEnglish = PackagePaths.file("Corpora/smoke/smoke.en")
    static let smokeGerman = PackagePaths.file("Corpora/smoke/smoke.de")

    /// A 400-piece vocabulary learned from the smoke corpus, in `folder/vocab`.
    static func vocabulary(in folder: TemporaryDirectory) throws -> String {
        let result = try ProcessRunner.tern(["vocab", "learn", "--corpus", smokeEnglish, "--corpus", smokeGerman, "--size", "400",
                                             "--out", folder.file("vocab")])
        try #require(result.exitCode == 0, "\(result.errorText)")
        return folder.file("vocab")
    }

    /// The flags of a new tiny run in `folder/NAME`, exporting to `folder/NAME-model`.
    static func newRun(_ name: String, in folder: TemporaryDirectory, vocabulary: String) -> [String] {
        ["train", "--name", name, "--run-dir", folder.file(name), "--vocab", vocabulary,
         "--train-source", smokeEnglish, "--train-target", smokeGerman, "--valid-source", smokeEnglish, "--valid-target", smokeGerman,
         "--output", folder.file(name + "-model"), "--encoder-layers", "1", "--decoder-layers", "1", "--width", "32", "--heads", "2",
         "--feed-forward", "64", "--batch-tokens", "400", "--warmup", "20", "--validate-every", "1000", "--checkpoint-every", "1000",
         "--log-every", "1", "--validation-sentences", "2"]
    }

    static func json(_ path: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    @Test("tern train --resume --max-steps N continues a finished run to step N, records N in the run folder, and trains what a straight run trains")
    func resumeWithMoreSteps() throws {
        let folder = try TemporaryDirectory()
        let vocabulary = try Self.vocabulary(in: folder)
        let first = try ProcessRunner.tern(Self.newRun("run", in: folder, vocabulary: vocabulary) + ["--max-steps", "3"])
        try #require(first.exitCode == 0, "\(first.errorText)")
        #expect(try Self.json(folder.file("run/checkpoint.json"))["step"] as? Int == 3)

        // Without --max-steps, the run is already done.
        let again = try ProcessRunner.tern(["train", "--name", "run", "--run-dir", folder.file("run"), "--resume"])
        #expect(again.exitCode == 0, "\(again.errorText)")
        #expect(again.errorText.contains("stopped at step 3"), "\(again.errorText)")

        let resumed = try ProcessRunner.tern(["train", "--name", "run", "--run-dir", folder.file("run"), "--resume", "--max-steps", "6",
                                              "--log-every", "2"])
        try #require(resumed.exitCode == 0, "\(resumed.errorText)")
        #expect(resumed.errorText.contains("resuming at step 3"), "\(resumed.errorText)")
        #expect(resumed.errorText.contains("step 4/6"), "\(resumed.errorText)")
        #expect(try Self.json(folder.file("run/checkpoint.json"))["step"] as? Int == 6)
        let saved = try Self.json(folder.file("run/configuration.json"))
        #expect(saved["max_steps"] as? Int == 6)
        #expect(saved["log_every"] as? Int == 2)
        #expect(saved["width"] as? Int == 32)

        // The same settings in one go give the same parameters and optimizer moments.
        let straight = try ProcessRunner.tern(Self.newRun("straight", in: folder, vocabulary: vocabulary) + ["--max-steps", "6"])
        try #require(straight.exitCode == 0, "\(straight.errorText)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.file("run/checkpoint.safetensors")))
            == Data(contentsOf: URL(fileURLWithPath: folder.file("straight/checkpoint.safetensors"))))
    }

    @Test("a resumed run keeps snapshots as it was started; --keep-snapshots and --snapshot-every 0 change that and are recorded")
    func resumeKeepsSnapshotPolicy() throws {
        let folder = try TemporaryDirectory()
        let vocabulary = try Self.vocabulary(in: folder)
        func snapshotSteps() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: folder.file("run/snapshots")).sorted()
        }
        let first = try ProcessRunner.tern(Self.newRun("run", in: folder, vocabulary: vocabulary) + ["--max-steps", "2", "--snapshot-every", "1"])
        try #require(first.exitCode == 0, "\(first.errorText)")
        let resume = ["train", "--name", "run", "--run-dir", folder.file("run"), "--resume"]
        let bare = try ProcessRunner.tern(resume + ["--max-steps", "4"])
        #expect(bare.exitCode == 0, "\(bare.errorText)")
        #expect(try snapshotSteps() == (1...4).map { String(format: "step-%07d.safetensors", $0) })

        let fewer = try ProcessRunner.tern(resume + ["--max-steps", "5", "--keep-snapshots", "2"])
        #expect(fewer.exitCode == 0, "\(fewer.errorText)")
        #expect(try snapshotSteps() == ["step-0000004.safetensors", "step-0000005.safetensors"])
        let recorded = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.file("run/configuration.json")))) as? [String: Any]
        #expect(recorded?["snapshots"] as? [String: Int] == ["every": 1, "keep": 2])

        let none = try ProcessRunner.tern(resume + ["--max-steps", "6", "--snapshot-every", "0"])
        #expect(none.exitCode == 0, "\(none.errorText)")
        #expect(try snapshotSteps() == ["step-0000004.safetensors", "step-0000005.safetensors"])
        let orphanCount = try ProcessRunner.tern(resume + ["--max-steps", "7", "--keep-snapshots", "3"])
        #expect(orphanCount.exitCode != 0 && orphanCount.errorText.contains("snapshot interval"), "\(orphanCount.errorText)")
    }

    @Test("flags change the settings of --config; a resumed run refuses those that change its training (exit 64, naming the flag)")
    func flagsOverConfigurations() throws {
        let folder = try TemporaryDirectory()
        let vocabulary = try Self.vocabulary(in: folder)
        let first = try ProcessRunner.tern(Self.newRun("run", in: folder, vocabulary: vocabulary) + ["--max-steps", "2"])
        try #require(first.exitCode == 0, "\(first.errorText)")

        let fromConfig = try ProcessRunner.tern(["train", "--name", "copy", "--run-dir", folder.file("copy"),
                                                 "--config", folder.file("run/configuration.json"), "--max-steps", "1", "--output", folder.file("copy-model")])
        #expect(fromConfig.exitCode == 0, "\(fromConfig.errorText)")
        let copied = try Self.json(folder.file("copy/configuration.json"))
        #expect(copied["max_steps"] as? Int == 1)
        #expect(copied["output"] as? String == folder.file("copy-model"))
        #expect(copied["width"] as? Int == 32)
        #expect(FileManager.default.fileExists(atPath: folder.file("copy-model/model.safetensors")))

        for (flag, value, reason) in [("--width", "64", "shape"), ("--seed", "2", "seed"), ("--vocab", vocabulary, "vocabulary"),
                                      ("--train-source", Self.smokeGerman, "training files"), ("--learning-rate", "0.1", "optimization")] {
            let refused = try ProcessRunner.tern(["train", "--name", "run", "--run-dir", folder.file("run"), "--resume", "--max-steps", "4", flag, value])
            #expect(refused.exitCode == 64, "\(flag): \(refused.errorText)")
            #expect(refused.errorText.contains("\(flag) cannot change a resumed run") && refused.errorText.contains(reason), "\(refused.errorText)")
        }
        #expect(try Self.json(folder.file("run/checkpoint.json"))["step"] as? Int == 2, "a refused resume trains nothing")
        #expect(try Self.json(folder.file("run/configuration.json"))["max_steps"] as? Int == 2)

        let incomplete = try ProcessRunner.tern(["train", "--name", "new", "--vocab", vocabulary])
        #expect(incomplete.exitCode == 64)
        #expect(incomplete.errorText.contains("--train-source"), "\(incomplete.errorText)")
    }

    @Test("an unknown --bleu-tokenize is a usage error (exit 64) listing the tokenizations")
    func unknownBLEUTokenization() throws {
        let result = try ProcessRunner.tern(["train", "--name", "unused", "--bleu-tokenize", "13b"])
        #expect(result.exitCode == 64)
        #expect(result.errorText.contains("'13b'") && result.errorText.contains("--bleu-tokenize"), "\(result.errorText)")
        #expect(result.errorText.contains("'13a', 'zh', 'intl' or 'none'"), "\(result.errorText)")
    }

    @Test("--help shows the defaults of TrainingConfiguration")
    func helpDefaults() throws {
        let help = try ProcessRunner.tern(["train", "--help"]).outputText.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for text in ["Encoder layers. (default: 4)", "Model width (d_model). (default: 128)", "Peak learning rate. (default: 0.001)",
                     "Maximum updates. (default: 100000)", "Dropout. (default: 0.1)", "(default: 13a) (values: 13a, zh, intl, none)",
                     "(default: encdec) (values: encdec, prefix-lm, causal-lm)"] {
            #expect(help.contains(text), "\(text)")
        }
    }
}
