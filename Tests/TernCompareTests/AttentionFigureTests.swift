import Foundation
import TernCompare
import TernModel
import TernTensor
import TestSupport
import Testing

/// The attention figure: mask matrices, the teacher-forced attention probabilities, and the SVG.
@Suite struct AttentionFigureTests {
    /// The cells of one panel of an SVG: (row, column) → `data-visible` or `data-value`.
    static func cells(_ svg: String, panel: String, attribute: String) throws -> [[Double]] {
        let pattern = try NSRegularExpression(pattern: "data-panel=\"\(panel)\" data-row=\"(\\d+)\" data-col=\"(\\d+)\" \(attribute)=\"([0-9.]+)\"")
        var cells: [(Int, Int, Double)] = []
        for match in pattern.matches(in: svg, range: NSRange(svg.startIndex..., in: svg)) {
            let group = { (index: Int) in String(svg[Range(match.range(at: index), in: svg)!]) }
            cells.append((Int(group(1))!, Int(group(2))!, Double(group(3))!))
        }
        let rows = (cells.map(\.0).max() ?? -1) + 1, columns = (cells.map(\.1).max() ?? -1) + 1
        var matrix = [[Double]](repeating: [Double](repeating: -1, count: columns), count: rows)
        for (row, column, value) in cells { matrix[row][column] = value }
        #expect(cells.count == rows * columns, "every cell of \(panel) appears once")
        return matrix
    }

    @Test("mask matrices: causal is lower-triangular, prefix is a block then triangular, cross is full")
    func maskMatrices() {
        let tokens = ["▁a", "▁b", "▁c", "<sep>", "▁x", "▁y"]
        let causal = MaskMatrix.selfAttention(.causal, tokens: tokens)
        let prefix = MaskMatrix.selfAttention(.prefix(prefixLengths: [4]), tokens: tokens)
        let t = true, f = false
        #expect(causal.visible == [[t, f, f, f, f, f], [t, t, f, f, f, f], [t, t, t, f, f, f],
                                   [t, t, t, t, f, f], [t, t, t, t, t, f], [t, t, t, t, t, t]])
        #expect(prefix.visible == [[t, t, t, t, f, f], [t, t, t, t, f, f], [t, t, t, t, f, f],
                                   [t, t, t, t, f, f], [t, t, t, t, t, f], [t, t, t, t, t, t]])
        for (mask, matrix) in [(AttentionMask.causal, causal), (.prefix(prefixLengths: [4]), prefix)] {
            for query in 0..<6 {
                #expect(matrix.visible[query].filter { $0 }.count == mask.visibleKeys(sequence: 0, query: query, length: 6))
            }
        }
        #expect(causal.rowLabels == tokens && causal.columnLabels == tokens)
        let cross = MaskMatrix.crossAttention(queries: ["<pad>", "▁x", "▁y"], keys: ["▁a", "▁b", "</s>"])
        #expect(cross.visible == [[t, t, t], [t, t, t], [t, t, t]])
    }

    @Test("the probe's pass gives Model.logits, and rows of probabilities that sum to 1 inside the mask", arguments: Architecture.allCases)
    func probe(mode: Architecture) throws {
        let (model, _) = try TinyModels.make(mode)
        let source = TinyModels.sources(count: 1, lengths: [5], framedFor: model)[0]
        let target: [Int32] = [7, 9, 11, 4]
        let probe = model.attentionProbabilities(source: source, target: target)
        let sequence = probe.decoderTokens
        if mode == .encoderDecoder {
            #expect(sequence == [Int32(model.config.decoderStartTokenId)] + target)
            #expect(probe.crossAttention.count == model.config.decoderLayers)
            #expect(probe.crossAttention.allSatisfy { $0.count == model.config.decoderAttentionHeads })
            #expect(probe.crossAttention[0][0].rows == sequence.count && probe.crossAttention[0][0].columns == source.count)
        } else {
            #expect(sequence == source + target)
            #expect(source.last == Int32(model.config.ternSeparatorTokenId!), "the framed source ends with <sep>")
            #expect(probe.crossAttention.isEmpty)
        }
        let expected = model.logits(sources: [source], targets: [sequence])
        #expect(probe.logits.rows == expected.rows)
        let difference = zip(probe.logits.values, expected.values).map { abs($0 - $1) }.max() ?? 0
        #expect(difference < 1e-4, "same network, same logits (max difference \(difference))")
        let length = sequence.count
        for head in probe.selfAttention.flatMap({ $0 }) {
            for query in 0..<length {
                let visible = probe.mask.visibleKeys(sequence: 0, query: query, length: length)
                let row = head.row(query)
                #expect(abs(row.reduce(0, +) - 1) < 1e-4)
                #expect(row.dropFirst(visible).allSatisfy { $0 == 0 }, "nothing outside the mask")
            }
        }
        for head in probe.crossAttention.flatMap({ $0 }) {
            for query in 0..<length { #expect(abs(head.row(query).reduce(0, +) - 1) < 1e-4) }
        }
    }

    @Test("the SVG draws each mode's mask cell for cell, labelled with the sentence's pieces")
    func svgMasks() throws {
        let fixture = try CompareFixture()
        let encdec = try fixture.runner(.encoderDecoder), prefix = try fixture.runner(.prefixLM)
        let sentence = "A dog runs."
        let target = encdec.translator.targetTokenizer.encode("Ein Hund rennt.")
        let figure = AttentionFigure.build(line: 1, sentence: sentence, encoderDecoder: encdec, prefixLM: prefix,
                                           target: target, targetOrigin: "the reference")
        // The prefix LM's framed source ends with <sep>; the pieces are the rest.
        let sourcePieces = prefix.translator.sourceTokenizer.pieces(prefix.sourceIDs(sentence).dropLast())
        let targetPieces = encdec.translator.targetTokenizer.pieces(target)
        let sequence = sourcePieces + ["<sep>"] + targetPieces
        #expect(figure.causalMask.rowLabels == sequence)
        #expect(figure.decoderOnlySourceLength == sourcePieces.count)
        #expect(figure.crossMask.columnLabels == sourcePieces + ["</s>"])
        #expect(figure.crossMask.rowLabels.count == targetPieces.count + 1)

        let svg = AttentionSVG.render(figure)
        let n = sequence.count, p = sourcePieces.count + 1
        let causal = try Self.cells(svg, panel: "causal-lm", attribute: "data-visible")
        let prefixCells = try Self.cells(svg, panel: "prefix-lm", attribute: "data-visible")
        #expect(causal.count == n && prefixCells.count == n)
        for row in 0..<n {
            #expect(causal[row] == (0..<n).map { $0 <= row ? 1 : 0 }, "causal row \(row)")
            #expect(prefixCells[row] == (0..<n).map { $0 < max(p, row + 1) ? 1 : 0 }, "prefix row \(row)")
        }
        let cross = try Self.cells(svg, panel: "encdec-cross", attribute: "data-visible")
        #expect(cross.count == targetPieces.count + 1 && cross.allSatisfy { $0.count == sourcePieces.count + 1 && $0.allSatisfy { $0 == 1 } })
        for piece in sequence {
            #expect(svg.contains(">\(SVGCanvas.escape(piece))</text>"), "label \(piece)")
        }

        let heat = try Self.cells(svg, panel: "encdec-cross-attention", attribute: "data-value")
        #expect(heat.count == targetPieces.count + 1 && heat.allSatisfy { abs($0.reduce(0, +) - 1) < 0.01 })
        let prefixHeat = try Self.cells(svg, panel: "prefix-lm-attention", attribute: "data-value")
        #expect(prefixHeat.count == targetPieces.count + 1 && prefixHeat.allSatisfy { $0.count == sourcePieces.count && $0.reduce(0, +) <= 1.01 })
        #expect(svg.contains("probability") && svg.contains("last decoder layer"))
        #expect(svg.hasPrefix("<?xml") && svg.contains("</svg>"))
    }

    @Test("compare --svg needs a non-blank line and both models it draws")
    func svgRequest() throws {
        let fixture = try CompareFixture()
        let result = try CompareTool.run(fixture.request(svgSentence: 2))
        #expect(result.svg?.contains("Attention in line 2") == true)
        #expect(throws: CompareError.invalidSVGSentence(9, lineCount: 4)) { try CompareTool.run(fixture.request(svgSentence: 9)) }
        var request = fixture.request(svgSentence: 1)
        request.modes = [.encoderDecoder, .causalLM]
        #expect(throws: CompareError.missingModelForFigure("prefix-lm")) { try CompareTool.run(request) }
    }
}
