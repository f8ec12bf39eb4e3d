/// `POST /translate` as LibreTranslate defines it, so that its clients work unchanged.
///
/// Request: `{"q": "text" | ["text", …], "source": "en", "target": "de", "format": "text", "api_key": "…"}`;
/// answer: `{"translatedText": "…"}`, or a list in the order of `q` when `q` is one.
struct LibreTranslateRequest: Decodable {
    /// One text, or a list of them.
    enum Query: Decodable {
        case single(String)
        case list([String])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            do {
                self = .single(try container.decode(String.self))
                return
            } catch DecodingError.typeMismatch {}
            do {
                self = .list(try container.decode([String].self))
            } catch DecodingError.typeMismatch {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "must be a string or a list of strings")
            }
        }

        var texts: [String] {
            switch self {
            case let .single(text): return [text]
            case let .list(texts): return texts
            }
        }
    }

    let q: Query
    let source: String
    let target: String
    let format: String?
    let apiKey: String?

    enum CodingKeys: String, CodingKey {
        case q, source, target, format
        case apiKey = "api_key"
    }

    /// - Throws: `ServeError.badRequest` for an empty `q` or a format other than text.
    func validate() throws {
        switch q {
        case let .single(text) where text.allSatisfy(\.isWhitespace):
            throw ServeError.badRequest("q is empty: send the text to translate")
        case let .list(texts) where texts.isEmpty:
            throw ServeError.badRequest("q is an empty list: send at least one text to translate")
        default:
            break
        }
        if let format, format != "text" {
            throw ServeError.badRequest("format '\(format)' is not supported: send format \"text\" (or leave it out)")
        }
    }
}

struct LibreTranslateResponse: Encodable {
    let translatedText: Translated

    enum Translated: Encodable {
        case single(String)
        case list([String])

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case let .single(text): try container.encode(text)
            case let .list(texts): try container.encode(texts)
            }
        }
    }
}

/// One entry of `GET /languages`: a source language and the targets it translates into.
struct LanguageEntry: Encodable {
    let code: String
    let name: String
    let targets: [String]
}
