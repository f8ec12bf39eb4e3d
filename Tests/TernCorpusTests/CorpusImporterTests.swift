import Foundation
import TernIO
import TestSupport
import Testing
@testable import TernCorpus

@Suite(.enabled(if: SharedCorpora.directory != nil, "../shared/corpora is absent"))
struct CorpusImporterSharedDataTests {
    let shared = SharedCorpora.directory ?? URL(fileURLWithPath: "/nonexistent")
    let importer: CorpusImporter

    init() throws {
        importer = try CorpusImporter()
    }

    @Test("multi30k: .gz files are verified and decompressed, with their line counts")
    func importMulti30k() throws {
        let destination = try TemporaryDirectory()
        let summary = try importer.import("multi30k", from: shared, to: destination.url)
        #expect(summary.outputs.count == 12)
        for (split, lines) in [("train", 29000), ("val", 1014), ("test_2016_flickr", 1000)] {
            for language in ["en", "de", "fr", "cs"] {
                let output = destination.fileURL("\(split).\(language)")
                #expect(try FileChunks.lineCount(ofFileAt: output) == lines, "\(output.path)")
            }
        }
        let firstLine = try LineReader(path: destination.fileURL("train.en").path).readLine()?.text
        #expect(firstLine == "Two young, White males are outside near many bushes.")
    }

    @Test("tatoeba-en-zh: cmn.txt is split into three aligned files without the BOM")
    func importTatoeba() throws {
        let destination = try TemporaryDirectory()
        let summary = try importer.import("tatoeba-en-zh", from: shared, to: destination.url)
        #expect(summary.outputs.map(\.name) == ["tatoeba.en", "tatoeba.zh", "tatoeba.attribution"])
        #expect(summary.outputs.allSatisfy { $0.lines == 29155 })
        for name in ["tatoeba.en", "tatoeba.zh", "tatoeba.attribution"] {
            #expect(try FileChunks.lineCount(ofFileAt: destination.fileURL(name)) == 29155, "\(name)")
        }
        let english = try Data(contentsOf: destination.fileURL("tatoeba.en"))
        #expect(english.starts(with: Array("Hi.\n".utf8)))
        let chinese = try LineReader(path: destination.fileURL("tatoeba.zh").path).readLine()?.text
        #expect(chinese == "嗨。")
        let attribution = try LineReader(path: destination.fileURL("tatoeba.attribution").path).readLine()?.text
        #expect(attribution?.hasPrefix("CC-BY 2.0 (France) Attribution: tatoeba.org") == true)
    }

    @Test("tatoeba-en-de: deu.txt is taken from the pinned zip and split into two aligned files; _about.txt is kept")
    func importTatoebaGerman() throws {
        let destination = try TemporaryDirectory()
        let summary = try importer.import("tatoeba-en-de", from: shared, to: destination.url)
        #expect(summary.outputs.map(\.name) == ["tatoeba.en", "tatoeba.de", "_about.txt"])
        #expect(summary.outputs.map(\.lines) == [169_813, 169_813, 60])
        let english = try LineReader(path: destination.fileURL("tatoeba.en").path).readAllLines()
        let german = try LineReader(path: destination.fileURL("tatoeba.de").path).readAllLines()
        #expect(english.count == 169_813 && german.count == 169_813)
        #expect(english[1].text == "Hi." && german[1].text == "Grüß Gott!")
        let about = try String(contentsOf: destination.fileURL("_about.txt"), encoding: .utf8)
        #expect(about.contains("Attribution: www.manythings.org/anki and tatoeba.org"))
    }

    @Test("tatoeba-en-fr: the member inside the archive's folder is found; __MACOSX entries are ignored")
    func importTatoebaFrench() throws {
        let destination = try TemporaryDirectory()
        let summary = try importer.import("tatoeba-en-fr", from: shared, to: destination.url)
        #expect(summary.outputs.map(\.lines) == [167_130, 167_130, 60])
        #expect(try FileManager.default.contentsOfDirectory(atPath: destination.url.path).sorted()
                == ["_about.txt", "tatoeba.en", "tatoeba.fr"])
    }

    @Test("wmt-news-en-de: every test set is decompressed, line-aligned across languages")
    func importNews() throws {
        let destination = try TemporaryDirectory()
        let summary = try importer.import("wmt-news-en-de", from: shared, to: destination.url)
        #expect(summary.outputs.count == 24)
        let corpus = try importer.catalog.corpus(named: "wmt-news-en-de")
        for split in corpus.splits {
            for language in ["en", "de"] {
                #expect(try FileChunks.lineCount(ofFileAt: destination.fileURL("\(split.name).\(language)")) == split.sentences,
                        "\(split.name).\(language)")
            }
        }
        #expect(corpus.splits.last?.name == "newstest2018" && corpus.splits.last?.sentences == 2998)
    }

    @Test("3am-en-zh: plain files are copied unchanged, from the corpus's own folder too")
    func import3AM() throws {
        let destination = try TemporaryDirectory()
        let summary = try importer.import("3am-en-zh", from: shared.appendingPathComponent("3am-en-zh"), to: destination.url)
        #expect(summary.outputs.map(\.lines) == [23931, 23931, 1000, 1000, 1000, 1000])
        #expect(summary.destination == destination.url)
        for name in ["train.en", "train.zh", "val.en", "val.zh", "test.en", "test.zh"] {
            let copy = try Data(contentsOf: destination.fileURL(name))
            #expect(copy == (try Data(contentsOf: shared.appendingPathComponent("3am-en-zh/\(name)"))), "\(name)")
        }
    }

    @Test("a file with one byte changed is named in a checksum error, and nothing is written")
    func corruptedCopy() throws {
        let source = try TemporaryDirectory()
        let corpusFolder = source.fileURL("3am-en-zh")
        try FileManager.default.copyItem(at: shared.appendingPathComponent("3am-en-zh"), to: corpusFolder)
        let damaged = corpusFolder.appendingPathComponent("test.zh")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: damaged.path)
        var bytes = try Data(contentsOf: damaged)
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: damaged)

        let destination = try TemporaryDirectory()
        let error = #expect(throws: CorpusImportError.self) {
            try importer.import("3am-en-zh", from: source.url, to: destination.url)
        }
        guard case let .checksumMismatch(path, expected, found) = error else {
            Issue.record("expected a checksum mismatch, got \(String(describing: error))")
            return
        }
        #expect(path == damaged.path)
        #expect(expected == "989e2c342f4462bbeae71430ad5d7cc557fdcc3e517fdfb3e20a6d2b35d42a53")
        #expect(found != expected)
        #expect(error?.localizedDescription.contains("test.zh") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: destination.url.path).isEmpty)
    }

    @Test("a truncated gzip file gives a clear error and leaves no partial output")
    func truncatedGzip() throws {
        let source = try TemporaryDirectory()
        let whole = try Data(contentsOf: shared.appendingPathComponent("multi30k/val.de.gz"))
        let truncated = source.fileURL("val.de.gz")
        try whole.prefix(whole.count / 2).write(to: truncated)
        // Pin the truncated file itself, so that the import gets past the checksum to gunzip.
        let corpus = Corpus.single(CorpusFile(
            name: "val.de.gz", bytes: whole.count / 2, sha256: try SHA256.hash(fileAt: truncated).hex, lines: 1014))

        let destination = try TemporaryDirectory()
        let error = #expect(throws: GzipError.self) {
            try CorpusImporter(catalog: CorpusCatalog(corpora: [corpus])).import(corpus, from: source.url, to: destination.url)
        }
        #expect(error == .corrupt(path: truncated.path))
        #expect(error?.localizedDescription.contains("truncated") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: destination.url.path).isEmpty)
    }
}

struct CorpusImporterTests {
    @Test("a missing file is named, with the folders searched")
    func missingFile() throws {
        let empty = try TemporaryDirectory()
        let error = #expect(throws: CorpusImportError.self) {
            try CorpusImporter().import("multi30k", from: empty.url, to: empty.fileURL("out"))
        }
        #expect(error?.localizedDescription.contains("train.en.gz") == true)
        #expect(error?.localizedDescription.contains("--from") == true)
    }

    @Test("a tab-separated row with the wrong number of columns is reported by line number")
    func malformedRow() throws {
        let source = try TemporaryDirectory()
        let file = try source.write("\u{FEFF}Hi.\t嗨。\tCC-BY\nRun.\t跑。\tCC-BY\nBroken row\tno third column\n\n", to: "pairs.tsv")
        let corpus = Corpus.single(CorpusFile(
            name: "pairs.tsv", bytes: try Data(contentsOf: file).count, sha256: try SHA256.hash(fileAt: file).hex,
            lines: 4, columns: ["pairs.en", "pairs.zh", "pairs.attribution"]))

        let error = #expect(throws: TabSeparatedColumnsError.self) {
            try CorpusImporter(catalog: CorpusCatalog(corpora: [corpus])).import(corpus, from: source.url, to: source.fileURL("out"))
        }
        #expect(error == .malformedRow(path: file.path, line: 3, expectedColumns: 3, foundColumns: 2))
        #expect(error?.localizedDescription.contains("pairs.tsv:3") == true)
    }

    @Test("a text with another line count than the catalogue's is rejected")
    func lineCountMismatch() throws {
        let source = try TemporaryDirectory()
        let file = try source.write("one\ntwo\n", to: "short.en")
        let corpus = Corpus.single(CorpusFile(
            name: "short.en", bytes: 8, sha256: try SHA256.hash(fileAt: file).hex, lines: 3))

        let error = #expect(throws: CorpusImportError.self) {
            try CorpusImporter(catalog: CorpusCatalog(corpora: [corpus])).import(corpus, from: source.url, to: source.fileURL("out"))
        }
        #expect(error == .lineCountMismatch(path: file.path, expected: 3, found: 2))
    }

    @Test("a file of another size than the catalogue's is rejected before hashing")
    func sizeMismatch() throws {
        let source = try TemporaryDirectory()
        let file = try source.write("one\n", to: "short.en")
        let corpus = Corpus.single(CorpusFile(name: "short.en", bytes: 5, sha256: String(repeating: "0", count: 64), lines: 1))

        let error = #expect(throws: CorpusImportError.self) {
            try CorpusImporter(catalog: CorpusCatalog(corpora: [corpus])).import(corpus, from: source.url, to: source.fileURL("out"))
        }
        #expect(error == .sizeMismatch(path: file.path, expected: 5, found: 4))
    }
}

struct CorpusImporterArchiveTests {
    @Test("a member of a pinned zip is extracted, checked and split; a missing member is named in the error")
    func zipMember() throws {
        let source = try TemporaryDirectory()
        try source.write("Hi.\tHallo!\nRun!\tLauf!\n", to: "pairs.txt")
        try source.write("Attribution: somebody\n", to: "about.txt")
        let archive = source.fileURL("pairs.zip")
        let script = "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1], 'w'); "
            + "z.write(sys.argv[2], 'folder/pairs.txt'); z.write(sys.argv[3], 'about.txt'); z.close()"
        let zipped = try ProcessRunner.run(
            LocalHTTPServer.python, ["-c", script, archive.path, source.fileURL("pairs.txt").path, source.fileURL("about.txt").path])
        try #require(zipped.exitCode == 0, "\(zipped.errorText)")
        let bytes = try Data(contentsOf: archive).count
        let digest = try SHA256.hash(fileAt: archive).hex
        let pairs = CorpusFile(name: "pairs.zip", bytes: bytes, sha256: digest, lines: 2, member: "folder/pairs.txt",
                               columns: ["pairs.en", "pairs.de"])
        let about = CorpusFile(name: "pairs.zip", bytes: bytes, sha256: digest, lines: 1, member: "about.txt")
        var corpus = Corpus.single(pairs)
        corpus.files.append(about)

        let destination = try TemporaryDirectory()
        let summary = try CorpusImporter(catalog: CorpusCatalog(corpora: [corpus])).import(corpus, from: source.url, to: destination.url)
        #expect(summary.outputs.map(\.name) == ["pairs.en", "pairs.de", "about.txt"])
        #expect(try String(contentsOf: destination.fileURL("pairs.en"), encoding: .utf8) == "Hi.\nRun!\n")
        #expect(try String(contentsOf: destination.fileURL("pairs.de"), encoding: .utf8) == "Hallo!\nLauf!\n")
        #expect(try String(contentsOf: destination.fileURL("about.txt"), encoding: .utf8) == "Attribution: somebody\n")

        let missing = Corpus.single(CorpusFile(name: "pairs.zip", bytes: bytes, sha256: digest, lines: 1, member: "nothere.txt"))
        let error = #expect(throws: ZipArchiveError.self) {
            try CorpusImporter(catalog: CorpusCatalog(corpora: [missing])).import(missing, from: source.url, to: destination.fileURL("out"))
        }
        #expect(error?.localizedDescription.contains("nothere.txt") == true)
    }
}

extension Corpus {
    /// A one-file training corpus named `test`, for checks on made-up files.
    static func single(_ file: CorpusFile) -> Corpus {
        Corpus(name: "test", description: "test corpus", origin: "nowhere", licence: "none", pairs: ["en-zh"],
               purpose: .training, splits: [], files: [file])
    }
}
