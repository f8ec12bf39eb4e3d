import Foundation
import TernModel
import TernTensor
import TestSupport
import Testing

/// `ModelDirectory.load(_:computeType:)` on the transformers-written Marian fixture (`MarianParityTests`).
@Suite struct ComputeTypeTests {
    /// Each sentence's teacher-forced logits, `[L, V]` rows one after another.
    static func teacherForced(_ model: Model, _ fixture: MarianParityTests.Fixture) -> Matrix {
        let rows = fixture.teacherForcing.perSentence.enumerated().flatMap { index, sentence in
            model.logits(sources: [fixture.sources[index]], targets: [sentence.decoderInputIds]).values
        }
        return Matrix(rows: rows.count / model.config.targetVocabSize, columns: model.config.targetVocabSize, values: rows)
    }

    @Test("float32 weights give the same logits, bit for bit, as the F16/F32 weights the file stores")
    func float32MatchesStoredPrecision() throws {
        let (stored, fixture) = try MarianParityTests.load()
        let single = try ModelDirectory.load(MarianParityTests.folder, computeType: .float32)
        #expect(single.weights.encoderLayers[0].feedForward.expand.weights.precision == .single)
        #expect(single.weights.outputProjection.precision == .single)
        #expect(Self.teacherForced(single, fixture).values.map(\.bitPattern) == Self.teacherForced(stored, fixture).values.map(\.bitPattern))
    }

    @Test("int8 quantizes every matrix, the tied table too, and stays close to transformers' logits")
    func int8StaysCloseToReference() throws {
        let (stored, fixture) = try MarianParityTests.load()
        let model = try ModelDirectory.load(MarianParityTests.folder, computeType: .int8)
        let weights = model.weights
        let linears = (weights.encoderLayers.flatMap { [$0.selfAttention.query, $0.selfAttention.output, $0.feedForward.expand, $0.feedForward.contract] }
            + weights.decoderLayers.flatMap { [$0.selfAttention.value, $0.crossAttention!.key, $0.feedForward.contract] })
        #expect(linears.allSatisfy { $0.weights.precision == .int8 })
        #expect([weights.embedding.table, weights.decoderEmbedding.table, weights.outputProjection].allSatisfy { $0.precision == .int8 })
        // The output layer multiplies by the decoder's embedding table itself: the same quantized rows.
        #expect(weights.outputProjection.quantizedRow(5)!.values == weights.decoderEmbedding.table.quantizedRow(5)!.values)
        #expect(weights.outputProjection.byteCount * 3 < stored.weights.outputProjection.byteCount * 2)

        // A sanity bound, not a quality claim (that is Benchmarks/int8.sh's BLEU): on this tiny random model
        // (width 16, so each activation row has few values to share its scale) int8 measured a worst error of
        // 4.8% of a row's spread and kept the best token in 22 of 24 rows; every kernel gives those same bits.
        let logits = Self.teacherForced(model, fixture)
        let expected = fixture.teacherForcing.perSentence.flatMap(\.logits)
        var worst: Float = 0, sameBest = 0
        for (row, reference) in expected.enumerated() {
            let values = Array(logits.row(row))
            let spread = reference.max()! - reference.min()!
            worst = max(worst, zip(values, reference).map { abs($0 - $1) }.max()! / spread)
            if values.indices.max(by: { values[$0] < values[$1] }) == reference.indices.max(by: { reference[$0] < reference[$1] }) { sameBest += 1 }
        }
        #expect(worst < 0.1)
        #expect(sameBest * 4 >= expected.count * 3)
    }
}
