import Foundation
import Tensors
import Text

extension Checkpoint {
    /// The metadata key under which a run's `vocab.txt` travels inside its checkpoint.
    public static let vocabularyKey = "vocabulary"

    /// The vocabulary stored with the checkpoint, one token per entry.
    public func vocabularyTokens() throws -> [String] {
        guard let text = metadata[Checkpoint.vocabularyKey] else {
            throw ConfigurationError(message: "the checkpoint carries no vocabulary")
        }
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
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

    /// - Throws: `SafetensorsError` or `CheckpointError` for a damaged file,
    ///   `ConfigurationError` for an unknown seam name or a model the file does not match.
    public init(contentsOf url: URL, registry: ModelRegistry,
                purpose: ModelRegistry.Purpose = .inference) throws {
        let path = url.path
        guard FileManager.default.fileExists(atPath: path) else {
            throw ConfigurationError(message: "no checkpoint at \(path)")
        }
        var checkpoint = try Checkpoint(contentsOf: url)
        configuration = try checkpoint.config(as: RunConfiguration.self)
        let vocabulary = try Vocabulary(tokens: checkpoint.vocabularyTokens(), origin: path)
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
