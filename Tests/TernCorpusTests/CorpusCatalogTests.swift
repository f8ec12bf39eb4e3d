import Foundation
import TestSupport
import Testing
@testable import TernCorpus

struct CorpusCatalogTests {
    @Test("the bundled catalogue lists every corpus, sorted by name")
    func bundledCatalog() throws {
        let catalog = try CorpusCatalog.bundled()
        #expect(catalog.format == CorpusCatalog.formatName)
        #expect(catalog.names == [
            "3am-en-zh", "flores-dev", "multi30k", "tatoeba-en-de", "tatoeba-en-fr", "tatoeba-en-zh", "wmt-news-en-de",
        ])
        #expect(try catalog.corpus(named: "multi30k").pairs == ["en-de", "en-fr", "en-cs"])
    }

    @Test("every file is pinned by size and a lowercase hex SHA-256")
    func filesArePinned() throws {
        for corpus in try CorpusCatalog.bundled().corpora {
            #expect(!corpus.files.isEmpty, "\(corpus.name)")
            for file in corpus.files {
                #expect(file.bytes > 0, "\(corpus.name)/\(file.name)")
                #expect(file.sha256.count == 64 && file.sha256.allSatisfy { "0123456789abcdef".contains($0) },
                        "\(corpus.name)/\(file.name)")
            }
        }
    }

    @Test("split sizes agree with the line counts of the files that make them up")
    func splitsMatchFiles() throws {
        for corpus in try CorpusCatalog.bundled().corpora {
            for file in corpus.files where file.columns == nil {
                let stem = file.outputNames[0].split(separator: "/").last?.split(separator: ".").first.map(String.init)
                guard let split = corpus.splits.first(where: { $0.name == stem }) else { continue }
                #expect(file.lines == split.sentences, "\(corpus.name)/\(file.name)")
            }
        }
        let tatoeba = try CorpusCatalog.bundled().corpus(named: "tatoeba-en-zh")
        // cmn.txt ends with an empty line, which is not a sentence pair.
        #expect(tatoeba.files[0].lines - 1 == tatoeba.splits[0].sentences)
    }

    @Test("output names drop .gz and follow the columns of tab-separated files")
    func outputNames() throws {
        let catalog = try CorpusCatalog.bundled()
        #expect(try catalog.corpus(named: "multi30k").outputNames.prefix(2) == ["train.en", "train.de"])
        #expect(try catalog.corpus(named: "tatoeba-en-zh").outputNames == ["tatoeba.en", "tatoeba.zh", "tatoeba.attribution"])
        #expect(try catalog.corpus(named: "flores-dev").outputNames.contains("en-zh/flores-dev.zh"))
        #expect(try catalog.corpus(named: "tatoeba-en-de").outputNames == ["tatoeba.en", "tatoeba.de", "_about.txt"])
        #expect(try catalog.corpus(named: "tatoeba-en-fr").outputNames == ["tatoeba.en", "tatoeba.fr", "_about.txt"])
        #expect(try catalog.corpus(named: "wmt-news-en-de").outputNames.suffix(2) == ["newstest2018.en", "newstest2018.de"])
    }

    @Test("an unknown name lists the known ones")
    func unknownName() throws {
        let catalog = try CorpusCatalog.bundled()
        let error = #expect(throws: CorpusCatalogError.self) { try catalog.corpus(named: "wmt14") }
        let message = error?.localizedDescription ?? ""
        #expect(message.contains("'wmt14'"))
        #expect(message.contains("3am-en-zh, flores-dev, multi30k, tatoeba-en-de"))
    }

    @Test("a file that is not a catalogue is rejected with its path")
    func notACatalog() throws {
        let folder = try TemporaryDirectory()
        let file = try folder.write(#"{"format": "something-else", "version": 1, "corpora": []}"#, to: "manifest.json")
        let error = #expect(throws: CorpusCatalogError.self) { try CorpusCatalog(contentsOf: file) }
        #expect(error?.localizedDescription.contains(file.path) == true)
    }

    @Test("the default folder follows XDG_CACHE_HOME, else ~/.cache")
    func defaultDirectory() {
        #expect(CorpusCache.directory(for: "multi30k", environment: ["XDG_CACHE_HOME": "/var/cache/me", "HOME": "/home/me"]).path
                == "/var/cache/me/tern/corpora/multi30k")
        #expect(CorpusCache.directory(for: "multi30k", environment: ["HOME": "/home/me"]).path
                == "/home/me/.cache/tern/corpora/multi30k")
        // Relative XDG paths are invalid and ignored.
        #expect(CorpusCache.directory(for: "multi30k", environment: ["XDG_CACHE_HOME": "cache", "HOME": "/home/me"]).path
                == "/home/me/.cache/tern/corpora/multi30k")
    }
}
