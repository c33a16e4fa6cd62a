import Tensors
import Text

/// The names a configuration gives its seams, mapped to the code that builds them.
///
///     let registry = ModelRegistry.core
///         .registering(positions: AbsolutePositions.name, summary: "BERT-A …", factory: AbsolutePositions.factory)
///     var config = ModelConfiguration.preset("chapter", vocabularySize: 8192)!
///     let model = try registry.makeModel(config, seed: 1)
///
/// Transformer knows the mechanism and the masked-LM objective (`core`); each chapter's
/// module adds its own schemes, and one registry with every method of the book is assembled
/// above them (`ModelRegistry.standard`, in Catalog), which is what `tenfold`, the chapters
/// and checkpoint loading use. The input seam's `"none"` needs no entry.
/// Introduced in Chapter 1 (the seams).
public struct ModelRegistry {
    /// One named choice on a seam.
    public struct Entry<Factory> {
        public let name: String
        /// One line for `--help` and error messages.
        public let summary: String
        public let factory: Factory
    }

    /// What a model is built for: pre-training, or prediction, export and fine-tuning —
    /// which leave the input seam out (it acts in pre-training only).
    public enum Purpose: Sendable { case training, inference }

    public private(set) var positions: [Entry<PositionEncodingFactory>] = []
    public private(set) var inputs: [Entry<InputAugmentationFactory>] = []
    public private(set) var objectives: [Entry<ObjectiveFactory>] = []

    public init() {}

    /// The masked-LM objective and nothing else.
    public static let core = ModelRegistry().registering(
        objective: MaskedLanguageModeling.name, summary: "masked language modelling: BERT's 15% with 80/10/10 (chapter 1)",
        factory: MaskedLanguageModeling.factory)

    public func registering(positions name: String, summary: String,
                            factory: @escaping PositionEncodingFactory) -> ModelRegistry {
        adding(Entry(name: name, summary: summary, factory: factory), to: \.positions, kind: "position scheme")
    }

    public func registering(input name: String, summary: String,
                            factory: @escaping InputAugmentationFactory) -> ModelRegistry {
        precondition(name != ModelConfiguration.noInput, "\"\(name)\" is the name of no input augmentation")
        return adding(Entry(name: name, summary: summary, factory: factory), to: \.inputs, kind: "input augmentation")
    }

    public func registering(objective name: String, summary: String,
                            factory: @escaping ObjectiveFactory) -> ModelRegistry {
        adding(Entry(name: name, summary: summary, factory: factory), to: \.objectives, kind: "objective")
    }

    private func adding<Factory>(_ entry: Entry<Factory>, to entries: WritableKeyPath<ModelRegistry, [Entry<Factory>]>,
                                 kind: String) -> ModelRegistry {
        precondition(!self[keyPath: entries].contains { $0.name == entry.name }, "\(kind) \(entry.name) is registered twice")
        var copy = self
        copy[keyPath: entries].append(entry)
        return copy
    }

    // MARK: Looking names up

    public var positionNames: [String] { positions.map(\.name) }
    public var inputNames: [String] { [ModelConfiguration.noInput] + inputs.map(\.name) }
    public var objectiveNames: [String] { objectives.map(\.name) }

    /// - Throws: `ConfigurationError` naming the schemes this registry knows.
    public func positionsFactory(_ name: String) throws -> PositionEncodingFactory {
        try lookUp(name, in: positions, kind: "position scheme")
    }

    /// nil for `"none"`. - Throws: `ConfigurationError` naming the known augmentations.
    public func inputFactory(_ name: String) throws -> InputAugmentationFactory? {
        name == ModelConfiguration.noInput ? nil : try lookUp(name, in: inputs, kind: "input augmentation",
                                                               also: [ModelConfiguration.noInput])
    }

    /// - Throws: `ConfigurationError` naming the known objectives.
    public func objectiveFactory(_ name: String) throws -> ObjectiveFactory {
        try lookUp(name, in: objectives, kind: "objective")
    }

    private func lookUp<Factory>(_ name: String, in entries: [Entry<Factory>], kind: String,
                                 also extra: [String] = []) throws -> Factory {
        guard let entry = entries.first(where: { $0.name == name }) else {
            let known = (extra + entries.map(\.name)).joined(separator: ", ")
            throw ConfigurationError(message: "the \(kind) '\(name)' is not known to this build (it knows \(known))")
        }
        return entry.factory
    }

    /// Checks that every seam choice of `config` is known.
    public func validate(_ config: ModelConfiguration) throws {
        _ = try positionsFactory(config.positions)
        _ = try inputFactory(config.input)
        _ = try objectiveFactory(config.objective)
    }

    // MARK: Building

    /// A freshly initialised model with `config`'s choice on each seam.
    ///
    /// - Parameters:
    ///   - seed: seeds the initial weights.
    ///   - vocabulary, trainingSequences: what the seams may read (`SeamContext`).
    ///   - purpose: `.inference` leaves the input seam out.
    /// - Throws: `ConfigurationError` for an unknown name or sizes that do not fit.
    public func makeModel(_ config: ModelConfiguration, seed: UInt64, vocabulary: Vocabulary? = nil,
                          trainingSequences: [TokenSequence] = [],
                          purpose: Purpose = .training) throws -> PretrainingModel {
        let input = purpose == .inference ? nil : try inputFactory(config.input)
        return try PretrainingModel(config: config, seed: seed, positions: try positionsFactory(config.positions),
                                    input: input, objective: try objectiveFactory(config.objective),
                                    vocabulary: vocabulary, trainingSequences: trainingSequences)
    }
}
