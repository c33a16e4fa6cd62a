import Foundation
import Tensors
import Text

extension Checkpoint {
    /// The metadata key under which a run's `vocab.txt` travels inside its checkpoint.
    public static let vocabularyKey = "vocabulary"

    /// The vocabulary stored with the checkpoint, one token per entry (each followed by a
    /// newline, the last one's optional).
    public func vocabularyTokens() throws -> [String] {
        guard let text = metadata[Checkpoint.vocabularyKey] else {
            throw InputError("the checkpoint carries no vocabulary (metadata \"\(Checkpoint.vocabularyKey)\"); "
                             + "it was not written by tenfold train or a chapter")
        }
        var tokens = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if tokens.last == "" { tokens.removeLast() }
        return tokens
    }

    /// The run configuration, decoded and checked before anything is built from it: the
    /// model's fields always, the training settings and the batch size (and the memory
    /// training needs) `forTraining`.
    ///
    /// - Throws: `CheckpointError.invalidConfiguration` naming `file` and the field.
    func runConfiguration(file: String, forTraining: Bool) throws -> RunConfiguration {
        do {
            let configuration = try config(as: RunConfiguration.self)
            if forTraining { try configuration.validate() } else { try configuration.model.validate() }
            try checkSize(of: configuration.model, file: file)
            return configuration
        } catch let error as ConfigurationError {
            throw CheckpointError.invalidConfiguration(file: file, reason: error.message)
        } catch CheckpointError.invalidConfig(let reason) {
            throw CheckpointError.invalidConfiguration(file: file, reason: "its configuration \(reason)")
        }
    }

    /// Refuses a configuration that describes a model far larger than the weights the file
    /// holds — before the model is built, so a small edited file cannot make Tenfold allocate
    /// gigabytes only to find that the shapes differ.
    ///
    /// - Throws: `CheckpointError.invalidConfiguration`.
    public func checkSize(of model: ModelConfiguration, file: String) throws {
        let stored = parameters.values.reduce(0.0) { $0 + Double($1.count) }
        // The estimate leaves out small terms and some schemes lack a position table: a margin.
        guard model.parameterEstimate <= 2 * stored + 1_000_000 else {
            throw CheckpointError.invalidConfiguration(
                file: file, reason: "its configuration describes a model of about \(Int(model.parameterEstimate)) "
                    + "parameters, but the file holds only \(Int(stored)) values")
        }
    }

    /// The vocabulary, which must have exactly the model's `vocabularySize` tokens.
    ///
    /// - Throws: `TextError` for a malformed vocabulary, `CheckpointError.invalidConfiguration`
    ///   for one of another size.
    func vocabulary(file: String, model: ModelConfiguration) throws -> Vocabulary {
        let vocabulary = try Vocabulary(tokens: vocabularyTokens(), origin: "the vocabulary of \(file)")
        guard vocabulary.count == model.vocabularySize else {
            throw CheckpointError.invalidConfiguration(
                file: file, reason: "its vocabulary has \(vocabulary.count) tokens, but the model's vocabularySize "
                    + "is \(model.vocabularySize)")
        }
        return vocabulary
    }
}

/// A model, its configuration and its tokenizer rebuilt from a checkpoint alone — for
/// prediction, export, study and fine-tuning.
///
///     let loaded = try LoadedCheckpoint(contentsOf: url, registry: .standard)
///     let predictions = try fillMask(loaded.model, tokenizer: loaded.tokenizer, text: "…", topK: 5)
///
/// The model is built by name through `registry` from the checkpoint's configuration,
/// whatever its seams. For `.inference` (the default) the input seam is left out, as it acts
/// in pre-training only: its parameters (`input.*`) and the state buffers are not loaded.
/// Introduced in Chapter 1.
public struct LoadedCheckpoint {
    public let checkpoint: Checkpoint
    public let configuration: RunConfiguration
    public let model: PretrainingModel
    public let tokenizer: WordPieceTokenizer

    /// Every value the model is built from is checked first (`Checkpoint`): checksums,
    /// finite weights, the configuration's ranges and memory, a vocabulary of the model's size.
    ///
    /// - Parameter verifyingChecksums: false skips the checksums, for huge files one trusts.
    /// - Throws: `SafetensorsError` or `CheckpointError` for a damaged file,
    ///   `ConfigurationError` for an unknown seam name or a model the file does not match,
    ///   `InputError` when there is no file.
    public init(contentsOf url: URL, registry: ModelRegistry,
                purpose: ModelRegistry.Purpose = .inference, verifyingChecksums: Bool = true) throws {
        let path = url.path
        guard FileManager.default.fileExists(atPath: path) else {
            throw InputError("no checkpoint at \(path): check the path (tenfold train writes checkpoint.safetensors "
                             + "into its --out folder)")
        }
        try self.init(Checkpoint(contentsOf: url, verifyingChecksums: verifyingChecksums), file: path,
                      registry: registry, purpose: purpose)
    }

    /// The same from a checkpoint already read (`Checkpoint(contentsOf:)`); `file` names it in errors.
    public init(_ checkpoint: Checkpoint, file path: String, registry: ModelRegistry,
                purpose: ModelRegistry.Purpose = .inference) throws {
        var checkpoint = checkpoint
        configuration = try checkpoint.runConfiguration(file: path, forTraining: purpose == .training)
        let vocabulary = try checkpoint.vocabulary(file: path, model: configuration.model)
        tokenizer = WordPieceTokenizer(vocabulary: vocabulary)
        model = try registry.makeModel(configuration.model, seed: 0, vocabulary: vocabulary, purpose: purpose)
        if purpose == .inference {
            checkpoint.parameters = checkpoint.parameters.filter { !$0.key.hasPrefix(PretrainingModel.inputPrefix) }
        }
        try checkpoint.check(matching: model.parameters.shapes, file: path)
        model.parameters.load(checkpoint.parameters)
        if purpose == .training { try model.restore(state: checkpoint.state) }
        self.checkpoint = checkpoint
    }
}
