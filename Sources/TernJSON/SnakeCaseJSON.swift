import Foundation

/// The JSON conventions of Tern's files (model `config.json`, training configurations, logs,
/// summaries): snake_case keys, and sorted, pretty-printed output so that changes show up as
/// small diffs.
public enum SnakeCaseJSON {
    /// A decoder that maps snake_case keys (`d_model`) to Swift properties (`dModel`).
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }

    /// An encoder that writes Swift properties as snake_case keys, sorted; pretty-printed unless
    /// `compact` (one line, for JSON Lines logs).
    public static func encoder(compact: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = compact ? [.sortedKeys, .withoutEscapingSlashes] : [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// What is wrong with a JSON file, for a person: the key as the file spells it
    /// (`decoder_layers`, not `decoderLayers`) and what was expected there. Errors that are not
    /// `DecodingError` keep their own description.
    public static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return error.localizedDescription }
        switch error {
        case let .keyNotFound(key, context):
            return "key '\(keyPath(context.codingPath + [key]))' is missing"
        case let .typeMismatch(type, context):
            return "'\(keyPath(context.codingPath))' must be \(typeName(type))"
        case let .valueNotFound(type, context):
            return "'\(keyPath(context.codingPath))' must be \(typeName(type)), not null"
        case let .dataCorrupted(context):
            if context.codingPath.isEmpty { return "it is not valid JSON" }
            return "'\(keyPath(context.codingPath))': \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    /// Decodes `type` from `data` with `jsonDecoder` (by default `decoder()`; a type whose coding
    /// keys already spell snake_case passes a plain `JSONDecoder`).
    /// - Throws: `SnakeCaseJSONError` whose message is `describe(_:)`'s, with one more case
    ///   resolved: Foundation on Linux reports a fractional number where a whole number belongs
    ///   (`"d_model": 128.5`) as "not valid JSON" with no key, so the top-level key at fault is
    ///   found by decoding again with each fractional number made whole.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data, using jsonDecoder: JSONDecoder = decoder()) throws -> T {
        do {
            return try jsonDecoder.decode(type, from: data)
        } catch let DecodingError.dataCorrupted(context) where context.codingPath.isEmpty {
            guard let object = try? JSONSerialization.jsonObject(with: data) else {
                throw SnakeCaseJSONError(message: "it is not valid JSON")
            }
            if let fields = object as? [String: Any] {
                for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
                    guard let number = value as? NSNumber, !(number is Bool), number.doubleValue != number.doubleValue.rounded(.towardZero) else { continue }
                    var repaired = fields
                    repaired[key] = number.doubleValue.rounded(.towardZero)
                    guard let repairedData = try? JSONSerialization.data(withJSONObject: repaired) else { continue }
                    do {
                        _ = try jsonDecoder.decode(type, from: repairedData)
                    } catch let DecodingError.dataCorrupted(context) where context.codingPath.isEmpty {
                        continue
                    } catch {}
                    throw SnakeCaseJSONError(message: "'\(key)' must be a whole number, not \(number)")
                }
            }
            throw SnakeCaseJSONError(message: "a number does not fit its key's type (a fraction or too large where a whole number belongs)")
        } catch {
            throw SnakeCaseJSONError(message: describe(error))
        }
    }

    /// `codingPath` as dotted snake_case keys, array positions in brackets.
    private static func keyPath(_ codingPath: [any CodingKey]) -> String {
        codingPath.reduce("") { path, key in
            if let index = key.intValue { return "\(path)[\(index)]" }
            let name = snakeCase(key.stringValue)
            return path.isEmpty ? name : "\(path).\(name)"
        }
    }

    /// `dModel` → `d_model`; a name without capitals is returned as it is.
    static func snakeCase(_ name: String) -> String {
        name.reduce(into: "") { result, character in
            if character.isUppercase {
                result += "_" + character.lowercased()
            } else {
                result.append(character)
            }
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Int32.Type, is Int64.Type, is UInt64.Type: return "a whole number"
        case is Float.Type, is Double.Type: return "a number"
        case is Bool.Type: return "true or false"
        case is String.Type: return "a string"
        default: return "a \(type)"
        }
    }
}

/// A JSON file that does not decode, described for a person (see `SnakeCaseJSON.describe`).
public struct SnakeCaseJSONError: LocalizedError, Equatable {
    public let message: String

    public var errorDescription: String? { message }
}
