import Foundation
import TernModel
import TernTensor
import TernTranslate

/// The models a server translates with, each loaded once and shared by every worker thread.
///
/// A `--model` argument is a name such as `en-de` or `en-de-multi30k`, which loads every
/// architecture the name has (`Models/en-de-multi30k/{encdec,prefix-lm,causal-lm}`), or a model
/// folder, which loads that one. The language pair comes from the name, or from the folder's path
/// (`…/en-de-multi30k/encdec` is model `en-de-multi30k`, pair `en-de`). A multilingual Marian
/// folder (`>>xx<<` tokens in its vocabulary) translates into each of its codes: its path gives
/// only the source (`opus-mt-en-ROMANCE` translates from `en`), and each line it translates
/// starts with the requested target's code.
public struct ModelCatalog: Sendable {
    /// One loaded model: its languages in one architecture.
    public struct Entry: Sendable {
        /// What clients call it: the name given, or for a folder the model name in its path (`en-de`).
        public let name: String
        public let languages: ModelLanguages
        public let mode: Architecture
        public let shared: SharedTranslationModel
        /// The search settings its folder asks for, used where a request names none.
        public let generation: GenerationDefaults

        /// `lines` as the model reads them to translate into `target` (nil: its only target): a
        /// multilingual model's lines start with the target's `>>xx<<` code.
        /// - Throws: `ServeError.badRequest` for a target it lacks, or none where it has several.
        public func lines(_ lines: [String], into target: String?) throws -> [String] {
            do {
                guard let code = try languages.lineCode(for: target) else { return lines }
                return lines.map { code + $0 }
            } catch ModelLanguages.Mismatch.targetNeeded(let codes) {
                throw ServeError.badRequest("model '\(name)' translates into several languages: name one with target_language (one of: \(codes.joined(separator: ", ")))")
            } catch ModelLanguages.Mismatch.unknownTarget(let target, let codes) {
                throw ServeError.badRequest("model '\(name)' does not translate into '\(target)'; it translates into \(codes.joined(separator: ", "))")
            }
        }
    }

    /// Every loaded model, in the order of the arguments (and of `Architecture.allCases` within
    /// one); a model and architecture named twice is loaded once.
    public let entries: [Entry]

    /// Loads the models `arguments` name, their weights held as `computeType` asks.
    /// - Throws: `ServeError.invalidModelArgument` when an argument names no model or no language
    ///   pair, or the loading error (`ModelError`, `TokenizerError`, `ComputeTypeError`) of a damaged model.
    public static func load(_ arguments: [String], computeType: ComputeType = .auto) throws -> ModelCatalog {
        var entries: [Entry] = []
        for argument in arguments {
            // A model folder, or a hub name that `tern model fetch` put in the model cache, served under that name.
            let cached = ModelCache.directory(for: argument).path
            let fetched = LanguagePair(argument) == nil && !FileManager.default.fileExists(atPath: argument)
                && FileManager.default.fileExists(atPath: cached + "/config.json")
            if fetched || FileManager.default.fileExists(atPath: argument + "/config.json") {
                let folder = fetched ? cached : argument
                guard let (folderName, languages) = try ModelLanguages.of(folder: folder) else {
                    throw ServeError.invalidModelArgument(
                        "\(argument) does not say its languages: put it in a folder named SOURCE-TARGET (such as en-de/encdec), "
                        + "or SOURCE-TARGETS for a model of several targets (such as opus-mt-en-ROMANCE)")
                }
                // A multilingual model is loaded with any of its codes: every line it translates carries its own.
                let shared = try SharedTranslationModel.load(modelDirectory: folder, targetLanguage: languages.isMultilingual ? languages.targets[0] : nil,
                                                             computeType: computeType)
                let name = fetched ? argument : folderName
                if !entries.contains(where: { $0.name == name && $0.mode == shared.model.architecture }) {
                    entries.append(Entry(name: name, languages: languages, mode: shared.model.architecture, shared: shared,
                                         generation: try GenerationDefaults.load(directory: folder)))
                }
                continue
            }
            guard let pair = LanguagePair(argument) else {
                throw ServeError.invalidModelArgument("\(argument) is neither a model folder nor a name such as en-de")
            }
            var found = false
            for mode in Architecture.allCases {
                guard let directory = try? ModelLocator.resolve(argument, mode: mode) else { continue }
                found = true
                if entries.contains(where: { $0.name == argument && $0.mode == mode }) { continue }
                let shared = try SharedTranslationModel.load(modelDirectory: directory, computeType: computeType)
                entries.append(Entry(name: argument, languages: ModelLanguages(pair: pair),
                                     mode: mode, shared: shared, generation: try GenerationDefaults.load(directory: directory)))
            }
            if !found { _ = try ModelLocator.resolve(argument) }   // throws, listing where it looked
        }
        return ModelCatalog(entries: entries)
    }

    /// The index in `entries` of model `name` in `mode`, or of its first architecture when `mode`
    /// is nil (the encoder-decoder, when it has one).
    /// - Throws: `ServeError.badRequest` naming the models and modes there are.
    public func index(name: String, mode: Architecture?) throws -> Int {
        let named = entries.indices.filter { entries[$0].name == name }
        guard !named.isEmpty else {
            throw ServeError.badRequest("unknown model '\(name)'; this server has \(names.joined(separator: ", "))")
        }
        guard let mode else { return named[0] }
        guard let index = named.first(where: { entries[$0].mode == mode }) else {
            let modes = named.map { entries[$0].mode.rawValue }.joined(separator: ", ")
            throw ServeError.badRequest("model '\(name)' has no mode '\(mode.rawValue)'; it has \(modes)")
        }
        return index
    }

    /// The index of the model that translates `source` into `target` (its encoder-decoder when it
    /// has one); `source` "auto" picks the only source language that has `target`.
    /// - Throws: `ServeError.badRequest` naming the pairs there are.
    public func index(source: String, target: String) throws -> Int {
        let candidates = entries.indices.filter {
            entries[$0].languages.targets.contains(target) && (source == "auto" || entries[$0].languages.source == source)
        }
        let sources = Set(candidates.map { entries[$0].languages.source })
        guard let first = candidates.first, sources.count == 1 else {
            let pairs = Set(entries.flatMap { entry in entry.languages.targets.map { "\(entry.languages.source)-\($0)" } }).sorted().joined(separator: ", ")
            if sources.count > 1 {
                throw ServeError.badRequest("source 'auto' is ambiguous for target '\(target)': name one of \(sources.sorted().joined(separator: ", "))")
            }
            throw ServeError.badRequest("no model translates '\(source)' into '\(target)'; this server has \(pairs)")
        }
        return candidates.first { entries[$0].mode == .encoderDecoder } ?? first
    }

    /// The distinct model names, in order.
    public var names: [String] {
        entries.map(\.name).reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
    }
}
