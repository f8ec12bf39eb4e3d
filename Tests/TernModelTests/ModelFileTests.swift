import Foundation
import TernModel
import TernTensor
import TestSupport
import Testing

/// Damaged, truncated or mismatched model files give an error that names the tensor or file.
@Suite struct ModelFileTests {
    func expectLoadError(_ folder: TemporaryDirectory, mentioning fragments: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try ModelDirectory.load(folder.path)
            Issue.record("loading a damaged model succeeded", sourceLocation: sourceLocation)
        } catch {
            let message = error.localizedDescription
            for fragment in fragments {
                #expect(message.contains(fragment), "message: \(message)", sourceLocation: sourceLocation)
            }
        }
    }

    func weightsURL(_ folder: TemporaryDirectory) -> URL { URL(fileURLWithPath: folder.file(ModelDirectory.weightsFile)) }

    @Test("a truncated weights file names the tensor that runs past its end")
    func truncatedWeights() throws {
        let (_, folder) = try TinyModels.make(.encoderDecoder)
        let data = try Data(contentsOf: weightsURL(folder))
        try data.prefix(data.count - 64).write(to: weightsURL(folder))
        expectLoadError(folder, mentioning: ["final_logits_bias", "truncated"])
        try data.prefix(5).write(to: weightsURL(folder))
        expectLoadError(folder, mentioning: ["model.safetensors", "corrupt"])
    }

    @Test("a header that is not JSON is reported")
    func garbageHeader() throws {
        let (_, folder) = try TinyModels.make(.encoderDecoder)
        var data = try Data(contentsOf: weightsURL(folder))
        data[8] = UInt8(ascii: "#") // the header's opening brace
        try data.write(to: weightsURL(folder))
        expectLoadError(folder, mentioning: ["header is not a JSON object"])
    }

    @Test("an unsupported dtype names the tensor")
    func wrongDType() throws {
        let (_, folder) = try TinyModels.make(.encoderDecoder)
        var data = try Data(contentsOf: weightsURL(folder))
        let first = try #require(data.range(of: Data("\"dtype\":\"F32\"".utf8)))
        data.replaceSubrange(first, with: Data("\"dtype\":\"I32\"".utf8))
        try data.write(to: weightsURL(folder))
        expectLoadError(folder, mentioning: ["model.shared.weight", "I32"])
    }

    @Test("weights that disagree with config.json name the tensor, its shape and the config key")
    func shapeMismatch() throws {
        let (_, folder) = try TinyModels.make(.encoderDecoder)
        let configURL = URL(fileURLWithPath: folder.file(ModelDirectory.configFile))
        let config = try String(contentsOf: configURL, encoding: .utf8).replacingOccurrences(of: "\"encoder_ffn_dim\":32", with: "\"encoder_ffn_dim\":64")
        try config.write(to: configURL, atomically: true, encoding: .utf8)
        expectLoadError(folder, mentioning: ["model.encoder.layers.0.fc1.weight", "[32, 16]", "encoder_ffn_dim 64"])
    }

    @Test("a missing tensor is named")
    func missingTensor() throws {
        let (model, folder) = try TinyModels.make(.prefixLM)
        let file = try SafeTensorsFile(path: folder.file(ModelDirectory.weightsFile))
        let kept = try TensorLayout(config: model.config, architecture: .prefixLM).parameters
            .filter { $0.name != "model.decoder.layers.1.fc2.bias" }
            .map { (name: $0.name, shape: $0.shape, values: try file.floats($0.name, shape: $0.shape)) }
        try SafeTensorsWriter.write(kept, dtype: .f32, to: folder.file(ModelDirectory.weightsFile))
        expectLoadError(folder, mentioning: ["model.decoder.layers.1.fc2.bias", "missing"])
    }

    @Test("NaN weights are refused")
    func notFinite() throws {
        let (model, folder) = try TinyModels.make(.causalLM)
        let file = try SafeTensorsFile(path: folder.file(ModelDirectory.weightsFile))
        let tensors = try TensorLayout(config: model.config, architecture: .causalLM).parameters.map { tensor in
            var values = try file.floats(tensor.name, shape: tensor.shape)
            if tensor.name == "model.decoder.layers.0.fc1.weight" { values[3] = .nan }
            return (name: tensor.name, shape: tensor.shape, values: values)
        }
        try SafeTensorsWriter.write(tensors, dtype: .f32, to: folder.file(ModelDirectory.weightsFile))
        expectLoadError(folder, mentioning: ["model.decoder.layers.0.fc1.weight", "NaN"])
    }

    @Test("a broken or unknown config.json is reported")
    func badConfig() throws {
        let (_, folder) = try TinyModels.make(.encoderDecoder)
        let configURL = URL(fileURLWithPath: folder.file(ModelDirectory.configFile))
        let original = try String(contentsOf: configURL, encoding: .utf8)
        try "{ \"d_model\": ".write(to: configURL, atomically: true, encoding: .utf8)
        expectLoadError(folder, mentioning: ["config.json", "invalid"])
        try original.replacingOccurrences(of: "MarianMTModel", with: "BertModel").write(to: configURL, atomically: true, encoding: .utf8)
        expectLoadError(folder, mentioning: ["BertModel"])
        try original.replacingOccurrences(of: "\"decoder_attention_heads\":4", with: "\"decoder_attention_heads\":5").write(to: configURL, atomically: true, encoding: .utf8)
        expectLoadError(folder, mentioning: ["not divisible"])
        try FileManager.default.removeItem(at: configURL)
        expectLoadError(folder, mentioning: ["config.json", "missing"])
    }

    @Test("F16 weights load and give the F32 model's logits to half precision")
    func halfPrecision() throws {
        let (model, folder) = try TinyModels.make(.encoderDecoder)
        let file = try SafeTensorsFile(path: folder.file(ModelDirectory.weightsFile))
        let tensors = try TensorLayout(config: model.config, architecture: .encoderDecoder).parameters.map {
            (name: $0.name, shape: $0.shape, values: try file.floats($0.name, shape: $0.shape))
        }
        try SafeTensorsWriter.write(tensors, dtype: .f16, to: folder.file(ModelDirectory.weightsFile))
        let half = try ModelDirectory.load(folder.path)
        let sources: [[Int32]] = [[5, 6, 7, 0]], targets: [[Int32]] = [[47, 9, 10]]
        expectClose(half.logits(sources: sources, targets: targets).values, model.logits(sources: sources, targets: targets).values, tolerance: 0.05)
    }

    @Test("half-precision conversion rounds to nearest even and round-trips every half value")
    func halfConversion() {
        for bits in UInt16.min...UInt16.max where (bits & 0x7C00) != 0x7C00 || (bits & 0x3FF) == 0 {
            #expect(HalfPrecision.half(from: HalfPrecision.float(fromHalf: bits)) == bits)
        }
        #expect(HalfPrecision.half(from: 1 + 1.0 / 2048) == 0x3C00, "a tie rounds to the even neighbour")
        #expect(HalfPrecision.half(from: 70000) == 0x7C00, "too large becomes infinity")
        #expect(HalfPrecision.float(fromHalf: 0x0001) == Float(sign: .plus, exponent: -24, significand: 1))
    }

    @Test("a safetensors shape with a negative dimension, or whose element or byte count overflows, is refused instead of trapping (inputs run through Fuzz/ fuzz-safetensors)")
    func overflowingShapes() throws {
        let folder = try TemporaryDirectory()
        let path = folder.file(ModelDirectory.weightsFile)
        func write(header: String) throws {
            var data = Data()
            withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { data.append(contentsOf: $0) }
            data.append(contentsOf: Array(header.utf8))
            data.append(contentsOf: [0x00, 0x00, 0x80, 0x3F])
            try data.write(to: URL(fileURLWithPath: path))
        }
        for shape in ["[4294967296,4294967296]", "[-1,-1]", "[2,-2]"] {
            try write(header: #"{"t":{"dtype":"F32","shape":\#(shape),"data_offsets":[0,0]}}"#)
            #expect(throws: ModelError.corruptWeights(path: path, reason: "the header entry of tensor 't' is malformed")) {
                try SafeTensorsFile(path: path)
            }
        }
        try write(header: #"{"t":{"dtype":"F32","shape":[4611686018427387904],"data_offsets":[0,0]}}"#)
        let file = try SafeTensorsFile(path: path)
        let reason = "tensor 't' holds 0 bytes, not 4611686018427387904 × 4 for shape [4611686018427387904] in F32"
        #expect(throws: ModelError.corruptWeights(path: path, reason: reason)) {
            try file.floats("t", shape: [4611686018427387904])
        }
    }
}
