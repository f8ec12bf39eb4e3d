// swift-tools-version:6.0
// libFuzzer harnesses for Tern's parsers of untrusted bytes. Built on its own, with the
// sanitizers, by Fuzz/run.sh; the root package does not know about it. See Fuzz/README.md.
import PackageDescription

let harnesses: [(name: String, products: [String])] = [
    ("fuzz-tokenizer", ["TernTokenizer"]),
    ("fuzz-safetensors", ["TernModel"]),
    ("fuzz-pytorch", ["TernModel"]),
    ("fuzz-config", ["TernModel"]),
    ("fuzz-linereader", ["TernIO"]),
    ("fuzz-eval", ["TernEval"]),
    ("fuzz-vocab", ["TernTokenizer"]),
    ("fuzz-sentencepiece", ["TernSentencePiece"]),
]

let package = Package(
    name: "TernFuzz",
    platforms: [.macOS(.v14)],
    products: harnesses.map { .executable(name: $0.name, targets: [$0.name]) },
    dependencies: [.package(name: "Tern", path: "..")],
    targets: [.target(name: "FuzzDriver"), .target(name: "FuzzSupport", dependencies: ["FuzzDriver"])] + harnesses.map { harness in
        .executableTarget(
            name: harness.name,
            dependencies: ["FuzzSupport"] + harness.products.map { .product(name: $0, package: "Tern") }
        )
    },
    swiftLanguageModes: [.v5]
)
