import Tensors
import Autograd
import Text

/// What pre-training trains: an encoder with its choice on each seam — a position scheme,
/// an optional input augmentation and an objective — in one `ParameterStore`.
///
///     let model = try PretrainingModel(config: config, seed: 1, positions: AbsolutePositions.factory)
///     var dropoutRNG: SeededGenerator? = SeededGenerator(seed: 2)
///     let output = model.loss(batch, dropout: &dropoutRNG)     // masked-LM unless told otherwise
///     output.loss.backward()
///
/// Usually built by name through a `ModelRegistry` (`registry.makeModel(config, …)`), which
/// is how checkpoints are rebuilt. Introduced in Chapter 1.
public final class PretrainingModel {
    public let config: ModelConfiguration
    public let parameters: ParameterStore
    public let encoder: Encoder
    public let objective: PretrainingObjective

    /// The input seam (nil: none), as the encoder uses it.
    public var input: InputAugmentation? { encoder.input }

    /// A freshly initialised model. Parameters are created in the order encoder, input
    /// augmentation, objective, each drawing its initial values from the store's generator.
    ///
    /// - Parameters:
    ///   - seed: seeds the initial weights.
    ///   - positions, input, objective: the seams' factories (input nil: none; objective:
    ///     masked-LM unless given).
    ///   - vocabulary, trainingSequences: what the seams may read (see `SeamContext`).
    /// - Throws: `ConfigurationError` when the sizes do not fit or a seam refuses the setup.
    public init(config: ModelConfiguration, seed: UInt64, positions: @escaping PositionEncodingFactory,
                input: InputAugmentationFactory? = nil,
                objective: ObjectiveFactory = MaskedLanguageModeling.factory,
                vocabulary: Vocabulary? = nil, trainingSequences: [TokenSequence] = []) throws {
        try config.validate()
        self.config = config
        let store = ParameterStore(seed: seed)
        parameters = store
        encoder = Encoder(store, config: config, positions: positions)
        if let input {
            encoder.input = try input(SeamContext(store: store.scoped("input"), config: config,
                                                  vocabulary: vocabulary, trainingSequences: trainingSequences))
        }
        let context = SeamContext(store: store, config: config, vocabulary: vocabulary,
                                  trainingSequences: trainingSequences)
        self.objective = try objective(ObjectiveContext(seam: context, encoder: encoder, positions: positions))
    }

    /// The objective's loss of one batch (see `PretrainingObjective.loss`).
    public func loss(_ batch: TrainingBatch, dropout rng: inout SeededGenerator?,
                     sampling: inout SeededGenerator) -> ObjectiveOutput {
        objective.loss(batch, dropout: &rng, sampling: &sampling)
    }

    /// The same, for an objective that samples nothing or when any fixed samples will do:
    /// the sampling stream is a fixed one.
    public func loss(_ batch: TrainingBatch, dropout rng: inout SeededGenerator?) -> ObjectiveOutput {
        var sampling = SeededGenerator(seed: PretrainingModel.fixedSamplingSeed)
        return objective.loss(batch, dropout: &rng, sampling: &sampling)
    }

    static let fixedSamplingSeed: UInt64 = 0x5A3D_11A7

    /// After the optimizer step: lets the input seam see what the encoder computed.
    public func observe(_ output: ObjectiveOutput) {
        input?.observe(hidden: output.hidden.value, input: output.input)
    }

    /// The masked-LM objective, when the model is trained with one (chapters 1–3).
    public var maskedLanguageModel: MaskedLanguageModeling? { objective as? MaskedLanguageModeling }

    // MARK: State

    /// Every buffer of the model that is not a parameter, named `input.<name>` and
    /// `objective.<name>` (a checkpoint stores them under `state.`).
    public var state: [String: Tensor] {
        var result: [String: Tensor] = [:]
        for (name, tensor) in input?.state ?? [:] { result[Self.inputPrefix + name] = tensor }
        for (name, tensor) in objective.state { result[Self.objectivePrefix + name] = tensor }
        return result
    }

    /// Restores the buffers of `state` (as named by `state`).
    /// - Throws: `ConfigurationError` for a buffer no part of the model keeps, or a part's own error.
    public func restore(state: [String: Tensor]) throws {
        var inputState: [String: Tensor] = [:], objectiveState: [String: Tensor] = [:]
        for (name, tensor) in state {
            if name.hasPrefix(Self.inputPrefix) {
                inputState[String(name.dropFirst(Self.inputPrefix.count))] = tensor
            } else if name.hasPrefix(Self.objectivePrefix) {
                objectiveState[String(name.dropFirst(Self.objectivePrefix.count))] = tensor
            } else {
                throw ConfigurationError(message: "the state buffer '\(name)' belongs to no part of the model")
            }
        }
        if let input {
            try input.restore(state: inputState)
        } else if let name = inputState.keys.sorted().first {
            throw ConfigurationError(message: "the model has no input augmentation, but the state holds '\(name)'")
        }
        try objective.restore(state: objectiveState)
    }

    static let inputPrefix = "input.", objectivePrefix = "objective."
}
