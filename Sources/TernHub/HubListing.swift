import Foundation

/// The files of a model repository on the Hugging Face hub, as its API lists them:
/// `GET {endpoint}/api/models/{name}?blobs=true` answers
/// `{"siblings": [{"rfilename", "size", "blobId", "lfs": {"sha256", "size", "pointerSize"}?}]}`.
/// Files kept in Git LFS (weights, usually) come with their SHA-256; the others with their Git
/// blob id (SHA-1 of `"blob <size>\0" + contents`).
public struct HubListing: Equatable, Sendable {
    public struct File: Equatable, Sendable {
        public var name: String
        public var size: Int
        /// The SHA-256 the hub reports (lowercase hex), for files in Git LFS.
        public var sha256: String?
        /// The Git blob id the hub reports (lowercase hex), for files outside Git LFS.
        public var blobID: String?
    }

    public var files: [File]

    /// The files a Marian folder needs, of those listed: the configs, the tokenizer files and
    /// one weights file (`model.safetensors` when listed, else `pytorch_model.bin`). Other
    /// weights (TensorFlow, Flax, Rust) are left out.
    public var marianFiles: [File] {
        let weights = files.contains { $0.name == "model.safetensors" } ? "model.safetensors" : "pytorch_model.bin"
        let wanted: Set<String> = ["config.json", "generation_config.json", "vocab.json", "target_vocab.json", "source.spm",
                                   "target.spm", "tokenizer_config.json", "special_tokens_map.json", "README.md", weights]
        return files.filter { wanted.contains($0.name) }
    }

    /// Parses the API's answer.
    /// - Throws: `ModelFetchError.unexpectedListing` when it is not such a listing.
    public init(json data: Data, url: String) throws {
        struct Answer: Decodable {
            struct Sibling: Decodable {
                struct LFS: Decodable {
                    var sha256: String
                    var size: Int
                }
                var rfilename: String
                var size: Int?
                var blobId: String?
                var lfs: LFS?
            }
            var siblings: [Sibling]
        }
        let answer: Answer
        do {
            answer = try JSONDecoder().decode(Answer.self, from: data)
        } catch {
            throw ModelFetchError.unexpectedListing(url: url, reason: "it is not a model listing with siblings (\(error.localizedDescription))")
        }
        files = try answer.siblings.map { sibling in
            guard let size = sibling.lfs?.size ?? sibling.size, size >= 0 else {
                throw ModelFetchError.unexpectedListing(url: url, reason: "'\(sibling.rfilename)' has no size")
            }
            return File(name: sibling.rfilename, size: size, sha256: sibling.lfs?.sha256.lowercased(),
                        blobID: sibling.lfs == nil ? sibling.blobId?.lowercased() : nil)
        }
    }
}
