// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Tern",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "tern", targets: ["tern"]),
        .library(name: "TernTokenizer", targets: ["TernTokenizer"]),
        .library(name: "TernSentencePiece", targets: ["TernSentencePiece"]),
        .library(name: "TernCorpus", targets: ["TernCorpus"]),
        .library(name: "TernModel", targets: ["TernModel"]),
        .library(name: "TernIO", targets: ["TernIO"]),
        .library(name: "TernEval", targets: ["TernEval"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
    ],
    targets: [
        // System libraries from Debian, reached only through the C facades below.
        .systemLibrary(
            name: "CICU",
            pkgConfig: "icu-uc icu-i18n",
            providers: [.apt(["libicu-dev"]), .brew(["icu4c"])]
        ),
        .target(name: "ICUFacade", dependencies: ["CICU"]),
        .target(name: "CGzip", linkerSettings: [.linkedLibrary("z")]),
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"]), .brew(["openblas"])]),

        .target(name: "TernIO", dependencies: ["CMemory"]),
        .target(name: "TernJSON"),
        .target(name: "TernEval"),
        .target(name: "CKernels"),
        .target(name: "CMemory"),
        .target(name: "TernTensor", dependencies: ["CBLAS", "CKernels"]),
        .target(name: "TernDecoding", dependencies: ["CKernels", "TernTensor"]),
        .target(name: "TernModel", dependencies: ["CKernels", "TernTensor", "TernDecoding", "TernJSON", "TernIO"]),
        .target(name: "TernTranslate", dependencies: ["TernModel", "TernDecoding", "TernTensor", "TernTokenizer", "TernSentencePiece", "TernIO"]),
        .target(name: "TernHub", dependencies: ["TernCorpus", "TernTranslate"]),
        .target(name: "TernCompare", dependencies: ["TernTranslate", "TernModel", "TernDecoding", "TernEval", "TernTokenizer"]),
        .target(
            name: "TernServe",
            dependencies: [
                "TernTranslate", "TernCompare", "TernModel", "TernDecoding", "TernTensor", "TernJSON",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "TernTraining",
            dependencies: ["CBLAS", "TernTensor", "TernModel", "TernDecoding", "TernTokenizer", "TernTranslate", "TernEval", "TernCorpus", "TernJSON", "TernIO"]
        ),
        .target(
            name: "TernTokenizer",
            dependencies: ["ICUFacade", "TernJSON", .product(name: "HeapModule", package: "swift-collections")]
        ),
        .target(name: "TernSentencePiece"),
        .target(
            name: "TernCorpus",
            dependencies: ["CGzip", "TernIO"],
            path: "Corpora",
            exclude: ["smoke", "README.md"],
            resources: [.copy("manifest.json")]
        ),
        .executableTarget(
            name: "tern",
            dependencies: [
                "TernTokenizer", "TernCorpus", "TernIO", "TernEval", "TernTraining", "TernModel", "TernTranslate", "TernDecoding", "TernCompare",
                "TernHub", "TernServe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "tern-bench",
            dependencies: [
                "TernTokenizer", "TernSentencePiece", "TernIO", "TernModel", "TernDecoding", "TernTraining", "TernTensor", "CBLAS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/TernBench"
        ),

        .target(name: "TestSupport", dependencies: ["TernIO", "TernJSON", "TernModel", "TernTensor", "TernTokenizer"], path: "Tests/TestSupport"),
        .testTarget(name: "TernTokenizerTests", dependencies: ["TernTokenizer", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "TernSentencePieceTests", dependencies: ["TernSentencePiece", "TernModel", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "TernCorpusTests", dependencies: ["TernCorpus", "TestSupport"]),
        .testTarget(name: "TernIOTests", dependencies: ["TernIO", "TestSupport"]),
        .testTarget(name: "TernTensorTests", dependencies: ["TernTensor"]),
        .testTarget(name: "TernDecodingTests", dependencies: ["CKernels", "TernDecoding", "TernModel", "TernTensor"]),
        .testTarget(
            name: "TernModelTests",
            dependencies: ["TernModel", "TernDecoding", "TernTensor", "TestSupport"],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "TernTranslateTests", dependencies: ["TernTranslate", "TestSupport"]),
        .testTarget(name: "TernMarianTests", dependencies: ["TernTranslate", "TernModel", "TestSupport", "tern"], exclude: ["Fixtures"]),
        .testTarget(name: "TernBatchTests", dependencies: ["TernTranslate", "TestSupport", "tern"]),
        .testTarget(name: "TernTrainingTests", dependencies: ["TernTraining", "TernModel", "TernTensor", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "TernCLITests", dependencies: ["tern", "TernJSON", "TestSupport"]),
        .testTarget(name: "TernEvalTests", dependencies: ["TernEval", "TestSupport", "tern"], exclude: ["Fixtures"]),
        .testTarget(name: "TernCompareTests", dependencies: ["TernCompare", "TestSupport", "tern"]),
        .testTarget(name: "TernServeTests", dependencies: ["TernServe", "TernTranslate", "TestSupport", "tern"]),
    ],
    swiftLanguageModes: [.v6]
)
