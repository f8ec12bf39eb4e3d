import Foundation
import FuzzSupport
import TernEval

/// `tern eval`'s metrics. Input: two control bytes, then UTF-8 text (repaired to U+FFFD), split
/// at `\n` into lines: the first third (or half, or quarter, with 2 or 3 references) are the
/// hypotheses, the rest the reference streams.
///
/// - byte 0: BLEU tokenizer (bits 0-1: 13a, intl, zh, none), lowercase (bit 2), reference
///   streams 1…3 (bits 3-4), smoothing (bits 5-6: exp, none, floor 0.1, add-k 1), effective
///   order (bit 7);
/// - byte 1: chrF character order 0…6 (bits 0-2, 7 → 6), word order 0…2 (bits 3-4), beta 0…3
///   (bits 5-6), whitespace (bit 7).
///
/// Checks: no trap; BLEU, its precisions and chrF finite and within [0, 100] (up to 1e-9, the
/// rounding of exp(log(100))); the brevity penalty within [0, 1]; each tokenizer's output (of
/// the whole text, line breaks included) made of tokens separated by single spaces.
let tokenizations: [BLEUTokenization] = [.thirteenA, .intl, .zh, .none]
let smoothings: [BLEU.Smoothing] = [.exp, .none, .floorDefault, .addKDefault]
let tolerance = 1e-9

func inRange(_ value: Double, _ upper: Double = 100) -> Bool {
    value.isFinite && value >= 0 && value <= upper + tolerance
}

func isPythonSpace(_ scalar: Unicode.Scalar) -> Bool {
    let value = scalar.value
    if value < 0x80 { return (0x09...0x0D).contains(value) || (0x1C...0x20).contains(value) }
    return [0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000].contains(value) || (0x2000...0x200A).contains(value)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 2 else { return 0 }
    let first = data[0], second = data[1]
    let text = String(decoding: UnsafeBufferPointer(start: data + 2, count: size - 2), as: UTF8.self)

    for tokenization in tokenizations where tokenization != .none {
        let tokens = tokenization.tokenize(text).unicodeScalars
        FuzzSupport.check((tokens.first.map { !isPythonSpace($0) } ?? true) && (tokens.last.map { !isPythonSpace($0) } ?? true),
                          "tok:\(tokenization.rawValue) output starts or ends with whitespace")
        var previousSpace = false
        for scalar in tokens {
            let space = isPythonSpace(scalar)
            FuzzSupport.check(!space || scalar == " ", "tok:\(tokenization.rawValue) output holds whitespace U+\(String(scalar.value, radix: 16))")
            FuzzSupport.check(!(space && previousSpace), "tok:\(tokenization.rawValue) output holds two spaces in a row")
            previousSpace = space
        }
    }

    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let referenceCount = 1 + Int((first >> 3) & 3) % 3
    let perStream = lines.count / (referenceCount + 1)
    let hypotheses = Array(lines[0..<perStream])
    let references = (1...referenceCount).map { stream in Array(lines[(stream * perStream)..<((stream + 1) * perStream)]) }

    let bleu = BLEU(tokenization: tokenizations[Int(first & 3)], lowercase: first & 4 != 0,
                    smoothing: smoothings[Int((first >> 5) & 3)], effectiveOrder: first & 0x80 != 0)
    do {
        let score = try bleu.corpusScore(hypotheses: hypotheses, references: references)
        FuzzSupport.check(inRange(score.score), "BLEU \(score.score) outside [0, 100]: \(score.formatted)")
        FuzzSupport.check(score.precisions.allSatisfy { inRange($0) }, "BLEU precisions \(score.precisions) outside [0, 100]")
        FuzzSupport.check(inRange(score.brevityPenalty, 1), "BLEU brevity penalty \(score.brevityPenalty) outside [0, 1]")
        FuzzSupport.check(score.ratio.isFinite && score.ratio >= 0, "BLEU ratio \(score.ratio)")
        _ = score.formatted(width: 2, withSignature: true)
    } catch {
        FuzzSupport.check(error is EvalError, "BLEU threw a \(type(of: error)): \(error)")
        FuzzSupport.check(hypotheses.isEmpty, "BLEU refused \(hypotheses.count) hypotheses: \(error)")
    }

    let chrf = CHRF(charOrder: min(6, Int(second & 7)), wordOrder: Int((second >> 3) & 3) % 3,
                    beta: Int((second >> 5) & 3), lowercase: first & 4 != 0, whitespace: second & 0x80 != 0,
                    epsSmoothing: first & 0x80 != 0)
    do {
        let score = try chrf.corpusScore(hypotheses: hypotheses, references: references)
        FuzzSupport.check(inRange(score.score), "\(score.name) \(score.score) outside [0, 100]: \(score.signature)")
        _ = score.formatted(width: 2, withSignature: true)
    } catch {
        FuzzSupport.check(error is EvalError, "chrF threw a \(type(of: error)): \(error)")
        FuzzSupport.check(hypotheses.isEmpty || chrf.charOrder + chrf.wordOrder == 0, "chrF refused its input: \(error)")
    }
    return 0
}

FuzzSupport.runLibFuzzer(fuzz)
