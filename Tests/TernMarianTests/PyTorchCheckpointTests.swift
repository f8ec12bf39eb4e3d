import Foundation
import TernModel
import TestSupport
import Testing

/// `PyTorchCheckpointFile` against files written by `torch.save` (`Fixtures/make_pytorch_files.py`
/// and `Fixtures/make_marian_folders.py`, torch 2.13.0+cpu).
@Suite struct PyTorchCheckpointTests {
    static let fixtures = PackagePaths.file("Tests/TernMarianTests/Fixtures")
    static let marianFolder = fixtures + "/opus-en-de"

    struct ExpectedTensor: Decodable {
        var shape: [Int]
        var values: [Float]
    }

    @Test("every tensor of the Marian model reads the same from pytorch_model.bin as from model.safetensors, bit for bit")
    func sameTensorsAsSafeTensors() throws {
        let safeTensors = try SafeTensorsFile(path: Self.marianFolder + "/model.safetensors")
        let pyTorch = try PyTorchCheckpointFile(path: Self.marianFolder + "/pytorch_model.bin")
        #expect(safeTensors.tensors.count > 40)
        for (name, info) in safeTensors.tensors {
            let expected = try safeTensors.floats(name, shape: info.shape)
            let found = try pyTorch.floats(name, shape: info.shape)
            #expect(found.map(\.bitPattern) == expected.map(\.bitPattern), "\(name)")
        }
        // torch.save keeps the tied copies of the embedding that save_pretrained leaves out; they share its storage.
        let embedding = try #require(safeTensors.tensors[TensorLayout.embeddingName])
        #expect(try pyTorch.floats("lm_head.weight", shape: embedding.shape) == safeTensors.floats(TensorLayout.embeddingName, shape: embedding.shape))
    }

    @Test("views torch.save writes (transposed, at an offset, sharing a storage, F16, BF16, 0-d, a Parameter) read as torch reads them")
    func viewsOfStorages() throws {
        let file = try PyTorchCheckpointFile(path: Self.fixtures + "/pytorch/views.bin")
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/pytorch/views.json"))
        let expected = try JSONDecoder().decode([String: ExpectedTensor].self, from: data)
        #expect(Set(file.tensors.keys) == Set(expected.keys))
        for (name, tensor) in expected {
            #expect(try file.floats(name, shape: tensor.shape) == tensor.values, "\(name)")
        }
        #expect(file.elementTypes == ["F32", "F16", "BF16"])
        #expect(throws: ModelError.wrongShape(name: "transposed", expected: [2, 3], found: [3, 2])) {
            try file.floats("transposed", shape: [2, 3])
        }
    }

    @Test("a pickle that calls os.system is refused, naming the global, and nothing runs")
    func refusesCode() throws {
        let path = Self.fixtures + "/pytorch/os-system.bin"
        let error = try #require(throws: ModelError.self) { try PyTorchCheckpointFile(path: path) }
        let message = error.localizedDescription
        #expect(message.contains("'posix.system'") || message.contains("'os.system'"), "\(message)")
        #expect(message.contains("never"), "\(message)")
        #expect(message.contains("not a plain tensor state dict"), "\(message)")
    }

    @Test("a pickle of a list of tensors is refused: it is not a state dict")
    func refusesList() throws {
        let error = try #require(throws: ModelError.self) { try PyTorchCheckpointFile(path: Self.fixtures + "/pytorch/list.bin") }
        #expect(error.localizedDescription.contains("not a dictionary of tensors"), "\(error.localizedDescription)")
    }

    @Test("every truncation of a checkpoint gives a ModelError or loads tensors that read in full; none traps")
    func truncations() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/pytorch/views.bin"))
        let folder = try TemporaryDirectory()
        let path = folder.file("cut.bin")
        var refused = 0
        for length in stride(from: 0, to: data.count, by: 7) {
            try data.prefix(length).write(to: URL(fileURLWithPath: path))
            do {
                let file = try PyTorchCheckpointFile(path: path)
                for (name, info) in file.tensors { _ = try? file.floats(name, shape: info.shape) }
            } catch is ModelError {
                refused += 1
            }
        }
        // The zip directory sits at the end, so every proper prefix loses it.
        #expect(refused == (data.count + 6) / 7)
    }

    @Test("damaged bytes anywhere in a checkpoint give a ModelError or finite values, never a trap")
    func corruptions() throws {
        let original = try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/pytorch/views.bin"))
        let folder = try TemporaryDirectory()
        let path = folder.file("damaged.bin")
        var generator = SystemRandomNumberGenerator()
        var crcFailures = 0
        for position in stride(from: 0, to: original.count, by: 3) {
            var data = original
            data[position] ^= UInt8.random(in: 1...255, using: &generator)
            try data.write(to: URL(fileURLWithPath: path))
            do {
                let file = try PyTorchCheckpointFile(path: path)
                for (name, info) in file.tensors {
                    if let values = try? file.floats(name, shape: info.shape) { #expect(values.allSatisfy { $0.isFinite }) }
                }
            } catch let error as ModelError {
                if error.localizedDescription.contains("CRC-32") { crcFailures += 1 }
            }
        }
        #expect(crcFailures > 100)
    }

    @Test("a file in torch's format from before 1.6 is refused, saying so")
    func legacyFormat() throws {
        let error = try #require(throws: ModelError.self) { try PyTorchCheckpointFile(path: Self.fixtures + "/pytorch/legacy.bin") }
        #expect(error.localizedDescription.contains("from before version 1.6"), "\(error.localizedDescription)")
    }

    @Test("a missing file and a file that is not a zip archive are named")
    func notAnArchive() throws {
        #expect(throws: ModelError.missingFile(path: "/nonexistent/pytorch_model.bin")) {
            try PyTorchCheckpointFile(path: "/nonexistent/pytorch_model.bin")
        }
        let folder = try TemporaryDirectory()
        try Data("not a zip archive".utf8).write(to: URL(fileURLWithPath: folder.file("x.bin")))
        let error = try #require(throws: ModelError.self) { try PyTorchCheckpointFile(path: folder.file("x.bin")) }
        #expect(error.localizedDescription.contains("not a zip archive"))
    }
}
