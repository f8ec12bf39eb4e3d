import Foundation
import TernModel
import TernTranslate
import TestSupport
import Testing

@Suite struct ModelInventoryTests {
    /// A search root and a model cache built on disk, listed: what each folder holds decides what is
    /// listed, in which order, with which languages and weight sizes, and a broken folder says why.
    @Test func listsBundledAndCachedModels() throws {
        let root = try TemporaryDirectory(), laterRoot = try TemporaryDirectory(), cache = try TemporaryDirectory()
        let bundled = PackagePaths.file("Models/en-de-multi30k")
        for mode in ["encdec", "causal-lm"] {
            try FolderCopy.copy(bundled + "/" + mode, to: root.file("Models/xx-yy/" + mode))
        }
        // The same name under a later root is hidden by the first root's, as --model resolves it.
        try FolderCopy.copy(bundled + "/encdec", to: laterRoot.file("Models/xx-yy/encdec"))
        try FolderCopy.copy(bundled + "/prefix-lm", to: laterRoot.file("Models/aa-bb-variant/prefix-lm"))
        try FileManager.default.createDirectory(atPath: root.file("Models/not-a-model"), withIntermediateDirectories: true)
        let marian = PackagePaths.file("Tests/TernMarianTests/Fixtures")
        try FolderCopy.copy(marian + "/opus-en-mul", to: cache.file("Helsinki-NLP/opus-mt-en-ROMANCE"))
        try FolderCopy.copy(marian + "/opus-en-de", to: cache.file("opus-mt-en-de"))
        try FileManager.default.createDirectory(atPath: cache.file("broken"), withIntermediateDirectories: true)
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: cache.file("broken/config.json")))

        let entries = ModelInventory.list(roots: [root.path, laterRoot.path], cache: cache.url)
        #expect(entries.map(\.name) == ["aa-bb-variant", "xx-yy", "xx-yy", "Helsinki-NLP/opus-mt-en-ROMANCE", "broken", "opus-mt-en-de"])
        #expect(entries.map(\.mode) == [.prefixLM, .encoderDecoder, .causalLM, .encoderDecoder, nil, .encoderDecoder])
        #expect(entries.map(\.inCache) == [false, false, false, true, true, true])
        #expect(entries[1].folder == root.file("Models/xx-yy/encdec"))
        #expect(entries.map { $0.languages?.source } == ["aa", "xx", "xx", "en", nil, "en"])
        #expect(entries.map { $0.languages?.targets ?? [] } == [["bb"], ["yy"], ["yy"], ["de", "es", "fr"], [], ["de"]])
        for entry in entries where entry.mode != nil {
            let size = try FileManager.default.attributesOfItem(atPath: entry.folder + "/model.safetensors")[.size] as? Int
            #expect(entry.weightBytes == size, "\(entry.name)")
        }
        #expect(entries[4].problem?.contains("config.json") == true, "\(entries[4])")
        #expect(entries.filter { $0.name != "broken" }.allSatisfy { $0.problem == nil })
    }
}
