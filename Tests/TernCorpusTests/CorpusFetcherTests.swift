import Foundation
import TestSupport
import Testing
@testable import TernCorpus

struct CorpusFetcherTests {
    @Test("an unreachable origin gives the no-network error, suggesting an import")
    func unreachableOrigin() async throws {
        let destination = try TemporaryDirectory()
        let fetcher = CorpusFetcher(importer: try CorpusImporter(), mirror: URL(string: "http://127.0.0.1:9/")!,
                                    timeout: 5, environment: [:])
        let error = await #expect(throws: CorpusFetchError.self) {
            try await fetcher.fetch("3am-en-zh", to: destination.url)
        }
        guard case .originUnreachable = error else {
            Issue.record("expected originUnreachable, got \(String(describing: error))")
            return
        }
        let message = error?.localizedDescription ?? ""
        #expect(message.contains("could not reach"))
        #expect(message.contains("127.0.0.1:9"))
        #expect(message.contains("tern corpus import 3am-en-zh --from DIR"))
    }

    @Test("TERN_CORPUS_MIRROR sets the mirror unless one is passed")
    func mirrorResolution() throws {
        let importer = try CorpusImporter()
        let environment = [CorpusFetcher.mirrorVariable: "http://mirror.example/corpora/"]
        #expect(CorpusFetcher(importer: importer, environment: environment).mirror?.absoluteString
                == "http://mirror.example/corpora/")
        #expect(CorpusFetcher(importer: importer, mirror: URL(string: "http://other.example/")!, environment: environment)
            .mirror?.absoluteString == "http://other.example/")
        #expect(CorpusFetcher(importer: importer, environment: [:]).mirror == nil)
    }

    @Test("a corpus without pinned downloads needs a mirror")
    func noPinnedDownload() async throws {
        let fetcher = CorpusFetcher(importer: try CorpusImporter(), environment: [:])
        let error = await #expect(throws: CorpusFetchError.self) {
            try await fetcher.fetch("flores-dev", to: try TemporaryDirectory().url)
        }
        #expect(error == .noDownload(corpus: "flores-dev", file: "SCORES.tsv"))
    }
}

@Suite(.enabled(if: SharedCorpora.directory != nil, "../shared/corpora is absent"),
       .enabled(if: LocalHTTPServer.isAvailable, "python3 is needed for a local HTTP server"))
struct CorpusFetcherDownloadTests {
    let shared = SharedCorpora.directory ?? URL(fileURLWithPath: "/nonexistent")

    @Test("a corpus is downloaded from a mirror and imported")
    func fetchFromMirror() async throws {
        let server = try await LocalHTTPServer.start(serving: shared)
        let destination = try TemporaryDirectory()
        let fetcher = CorpusFetcher(importer: try CorpusImporter(), mirror: server.baseURL, environment: [:])
        let summary = try await fetcher.fetch("3am-en-zh", to: destination.url)
        #expect(summary.outputs.map(\.lines) == [23931, 23931, 1000, 1000, 1000, 1000])
        #expect(try Data(contentsOf: destination.fileURL("val.zh"))
                == (try Data(contentsOf: shared.appendingPathComponent("3am-en-zh/val.zh"))))
    }

    @Test("a file the server does not have gives its HTTP status, naming the URL")
    func missingFile() async throws {
        let empty = try TemporaryDirectory()
        let server = try await LocalHTTPServer.start(serving: empty.url)
        let fetcher = CorpusFetcher(importer: try CorpusImporter(), mirror: server.baseURL, environment: [:])
        let error = await #expect(throws: CorpusFetchError.self) {
            try await fetcher.fetch("3am-en-zh", to: try TemporaryDirectory().url)
        }
        guard case let .httpStatus(url, status) = error else {
            Issue.record("expected httpStatus, got \(String(describing: error))")
            return
        }
        #expect(status == 404)
        #expect(url.hasPrefix(server.baseURL.absoluteString) && url.contains("3am-en-zh/"))
    }

    @Test("a zip download is extracted, checked and split")
    func fetchZip() async throws {
        let served = try TemporaryDirectory()
        try makeZip(served.fileURL("cmn-eng.zip"), containing: shared.appendingPathComponent("tatoeba-en-zh/cmn.txt"))
        let server = try await LocalHTTPServer.start(serving: served.url)

        var tatoeba = try CorpusCatalog.bundled().corpus(named: "tatoeba-en-zh")
        tatoeba.files[0].url = server.baseURL.appendingPathComponent("cmn-eng.zip")
        let destination = try TemporaryDirectory()
        let fetcher = CorpusFetcher(importer: CorpusImporter(catalog: CorpusCatalog(corpora: [tatoeba])), environment: [:])
        let summary = try await fetcher.fetch("tatoeba-en-zh", to: destination.url)
        #expect(summary.outputs.map(\.lines) == [29155, 29155, 29155])
    }

    private func makeZip(_ archive: URL, containing file: URL) throws {
        let script = "import sys, zipfile; zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED).write(sys.argv[2], 'cmn.txt')"
        let result = try ProcessRunner.run(LocalHTTPServer.python, ["-c", script, archive.path, file.path])
        try #require(result.exitCode == 0, "\(result.errorText)")
    }
}
