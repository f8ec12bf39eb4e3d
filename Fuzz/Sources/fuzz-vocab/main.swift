import Foundation
import FuzzSupport
import TernTokenizer

/// `VocabularyStore.load(from:)`. The input is split at its first two NUL bytes into
/// manifest.json, vocab.txt and merges.txt, written into a scratch folder (a part that is not
/// there is a missing file). Loading may fail, but only with a `TokenizerError`. A vocabulary
/// that loads must make a tokenizer whose round trip `decode(encode(x)) == normalize(x)` holds
/// byte for byte on a fixed sample and on the merges text, and decoding every id must not trap.
let folder = FuzzSupport.scratch + "/vocab"
let files = [VocabularyStore.manifestFile, VocabularyStore.piecesFile, VocabularyStore.mergesFile]
let sample = "Hello, wörld! Ein Mann fährt Fahrrad.  Tabs\tand\r\nnew lines. 我爱你，今天天气很好。 ﬁ ▁x é e\u{301} 😀\u{FFFD}"

func checkRoundTrip(_ text: String, _ tokenizer: Tokenizer) {
    let ids = tokenizer.encode(text)
    let size = tokenizer.vocabulary.size
    FuzzSupport.check(ids.allSatisfy { (0..<Int32(size)).contains($0) }, "encode gave an id outside 0..<\(size): \(ids)")
    let decoded = tokenizer.decode(ids)
    let normalized = tokenizer.normalize(text)
    FuzzSupport.check(Array(decoded.utf8) == Array(normalized.utf8),
                      "decode(encode(x)) != normalize(x)\n x: \(FuzzSupport.describe(text.utf8))\n"
                      + " normalize(x): \(FuzzSupport.describe(normalized.utf8))\n decode(encode(x)): \(FuzzSupport.describe(decoded.utf8))\n"
                      + " pieces: \(tokenizer.pieces(ids))")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    mkdir(folder, 0o700)
    let input = UnsafeBufferPointer(start: data, count: size)
    let parts = input.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false)
    for (index, file) in files.enumerated() {
        let path = folder + "/" + file
        if index < parts.count {
            FuzzSupport.write(parts[index], to: path)
        } else {
            FuzzSupport.remove(path)
        }
    }
    let vocabulary: SubwordVocabulary
    do {
        vocabulary = try VocabularyStore.load(from: folder)
    } catch {
        FuzzSupport.note("refused: \(error.localizedDescription)")
        FuzzSupport.check(error is TokenizerError, "VocabularyStore.load threw a \(type(of: error)), not a TokenizerError: \(error)")
        _ = error.localizedDescription
        return 0
    }
    let tokenizer: Tokenizer
    do {
        tokenizer = try Tokenizer(vocabulary: vocabulary)
    } catch {
        FuzzSupport.check(false, "a loaded vocabulary makes no tokenizer: \(error)")
        return 0
    }
    FuzzSupport.note("loaded \(vocabulary.size) pieces, \(vocabulary.merges.count) merges")
    _ = tokenizer.decode(Int32(-1)...Int32(vocabulary.size))
    checkRoundTrip(sample, tokenizer)
    if parts.count == 3 {
        checkRoundTrip(String(decoding: parts[2].prefix(2048), as: UTF8.self), tokenizer)
    }
    return 0
}

FuzzSupport.runLibFuzzer(fuzz)
