import Foundation
import FuzzSupport
import TernTokenizer

/// Tokenizer encode/decode with the bundled vocabularies.
///
/// Input: one control byte, then the body.
/// - control & 3 chooses the vocabulary (modulo the number found: multi30k-en-de, en-zh, en-de);
/// - control & 4 == 0: the body is text (UTF-8, repaired to U+FFFD where invalid). Checks
///   `decode(encode(x)) == normalize(x)` byte for byte, ids inside the vocabulary, `encodeWords`
///   joined == `encode`, and `decodeLine` free of line breaks;
/// - control & 4 != 0: the body is a sequence of ids (little-endian Int32, or UInt16 when
///   control & 8), out-of-range and negative ones included. Decodes them (`decode`, `decodeLine`,
///   `pieces`), then checks the round trip above on the decoded text.
let vocabularyNames = ["multi30k-en-de", "en-zh", "en-de"]

let tokenizers: [(name: String, tokenizer: Tokenizer)] = vocabularyNames.compactMap { name in
    let directory = FuzzSupport.repositoryRoot + "/Vocab/" + name
    guard FileManager.default.fileExists(atPath: directory + "/" + VocabularyStore.manifestFile) else { return nil }
    do {
        return (name, try Tokenizer(vocabulary: try VocabularyStore.load(from: directory)))
    } catch {
        fatalError("cannot load the vocabulary \(directory): \(error)")
    }
}

func lineBreakFree(_ text: String) -> Bool {
    !text.unicodeScalars.contains { [0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029].contains($0.value) }
}

func checkRoundTrip(_ text: String, _ tokenizer: Tokenizer, _ name: String) {
    let ids = tokenizer.encode(text)
    let size = tokenizer.vocabulary.size
    FuzzSupport.check(ids.allSatisfy { (0..<Int32(size)).contains($0) },
                      "[\(name)] encode gave an id outside 0..<\(size): \(ids)")
    let decoded = tokenizer.decode(ids)
    let normalized = tokenizer.normalize(text)
    FuzzSupport.check(Array(decoded.utf8) == Array(normalized.utf8),
                      "[\(name)] decode(encode(x)) != normalize(x)\n x: \(FuzzSupport.describe(text.utf8))\n"
                      + " normalize(x): \(FuzzSupport.describe(normalized.utf8))\n decode(encode(x)): \(FuzzSupport.describe(decoded.utf8))\n ids: \(ids)")
    let words = tokenizer.encodeWords(text)
    FuzzSupport.check(Array(words.joined()) == ids, "[\(name)] encodeWords joined != encode for \(FuzzSupport.describe(text.utf8))")
    FuzzSupport.check(tokenizer.pieces(ids).count == ids.count, "[\(name)] pieces(ids) lost ids")
    let line = tokenizer.decodeLine(ids)
    FuzzSupport.check(lineBreakFree(line), "[\(name)] decodeLine kept a line break: \(FuzzSupport.describe(line.utf8))")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1, !tokenizers.isEmpty else { return 0 }
    let control = data[0]
    let (name, tokenizer) = tokenizers[Int(control & 3) % tokenizers.count]
    let body = UnsafeBufferPointer(start: data + 1, count: size - 1)
    if control & 4 == 0 {
        let text = String(decoding: body, as: UTF8.self)
        checkRoundTrip(text, tokenizer, name)
        // `tern detokenize` parses ids written as text.
        _ = try? tokenizer.vocabulary.checkedIDs(text.split(separator: " ").map(String.init))
    } else {
        var ids: [Int32] = []
        if control & 8 == 0 {
            var index = 0
            while index + 4 <= body.count {
                ids.append(Int32(bitPattern: UInt32(body[index]) | UInt32(body[index + 1]) << 8
                                 | UInt32(body[index + 2]) << 16 | UInt32(body[index + 3]) << 24))
                index += 4
            }
        } else {
            var index = 0
            while index + 2 <= body.count {
                ids.append(Int32(UInt16(body[index]) | UInt16(body[index + 1]) << 8))
                index += 2
            }
        }
        let text = tokenizer.decode(ids)
        let line = tokenizer.decodeLine(ids)
        FuzzSupport.check(lineBreakFree(line), "[\(name)] decodeLine kept a line break for ids \(ids)")
        FuzzSupport.check(tokenizer.pieces(ids).count == ids.count, "[\(name)] pieces(ids) lost ids")
        checkRoundTrip(text, tokenizer, name)
    }
    return 0
}

FuzzSupport.runLibFuzzer(fuzz)
